using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Search;

/// <summary>
/// A host of its own on a clock the tests move, holding only generated credentials: the searches
/// are checked against a brute-force filter of exactly these records.
/// </summary>
public sealed class SearchFixture : IAsyncLifetime
{
    public const int Count = 90;

    public static readonly string[] Names = ["Ada Lovelace", "ada byron", "Adam Smith", "Ádám Kovács", "Grace Hopper", "Alan Turing", "=cmd|' /C calc'!A0", "Zoë Brown"];
    public static readonly string?[] Teams = ["Blue", "Red", null];
    public static readonly string?[] Cohorts = ["2025-A", "2026-A"];
    public static readonly string?[] Sites = ["Site 1", "Site 3", null];

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public ApiHost Host { get; private set; } = null!;
    public List<Credential> Credentials { get; } = [];

    public async Task InitializeAsync()
    {
        Host = await ApiHost.StartAsync(overrides: services => services
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton<IRenewalWindows>(new RecordingRenewalWindows()));
        var now = Clock.GetUtcNow();
        var random = new Random(20261201);
        var programs = new[]
        {
            CertificationProgram.Create("forklift", A.Definition() with { ContentVersion = "2026.1", RegulatoryModule = "OSHA-1910" }, now.AddYears(-3), "admin"),
            CertificationProgram.Create("first-aid", A.Definition(A.Terms(validity: "P2Y")) with { ContentVersion = "v7", RegulatoryModule = null }, now.AddYears(-3), "admin"),
            CertificationProgram.Create("orientation", A.Definition(A.Terms(validity: null)) with { ContentVersion = null }, now.AddYears(-3), "admin"),
        };
        var store = Host.Services.GetRequiredService<ICredentialStore>();
        for (var i = 0; i < Count; i++)
        {
            var issuedAt = now.AddMinutes(-random.Next(0, 60 * 24 * 800));
            var name = Names[random.Next(Names.Length)];
            var holder = new LearnerIdentity($"lms:{i % 30}", name, $"{name.Split(' ')[0]}.{i % 30}@Example.org", $"{i % 30}", i % 4 == 0 ? $"hr-{i % 30}" : null);
            var credential = A.Credential(programs[random.Next(programs.Length)], issuedAt, issuedAt.AddHours(-random.Next(1, 48)), seed: 1000 + i, holder: holder,
                placement: new Placement(Teams[random.Next(Teams.Length)], Cohorts[random.Next(Cohorts.Length)], Sites[random.Next(Sites.Length)]),
                score: 70 + random.Next(0, 31));
            credential = random.Next(10) switch
            {
                0 => credential.Revoke(issuedAt.AddDays(1), "user:pm", "Misconduct").Credential,
                1 when credential.Schedule is { } s && s.GraceEndsAt < now => credential.Lapse(s.GraceEndsAt).Credential,
                _ => credential,
            };
            Credentials.Add(credential);
            Assert.True(await store.TryCreateAsync(credential, CancellationToken.None));
        }
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
