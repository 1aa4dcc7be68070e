using CredentialFunctions.Application.Ports;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Testing.Anchors;
using CredentialFunctions.Testing.Cosmos;

namespace CredentialFunctions.Integration.Tests.Stores;

/// <summary>The credit ledger inside the stored credential document: bounded far below the item limit, and readable in its older shape.</summary>
public sealed class CreditLedgerDocumentTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    /// <summary>Cosmos DB's limit on one item; past it every write of the record fails, a revocation included.</summary>
    private const int ItemLimitBytes = 2 * 1024 * 1024;

    private static Credential RenewableByCredits()
        => A.Credential(A.Terms(pathways: [RenewalPathway.RetakeExam, RenewalPathway.ContinuingEducationCredits]) with { RequiredCeCredits = 1000 });

    /// <summary>
    /// Every credit cap reached: the most entries in total, each cycle full, every text at its
    /// longest in a character JSON escapes to six bytes, and every credit rejected with the longest
    /// reason, so each adds the most audit text it can. Actors are token subjects, which the
    /// identity provider issues (an Entra object id is 36 characters), so 64 ASCII characters.
    /// </summary>
    private static Credential AtEveryCreditCap()
    {
        static string Text(int length) => new('é', length);
        var actor = "user:" + new string('a', 64);
        var c = RenewableByCredits();
        while (c.CreditLog.Count < CreditLedger.MaxEntries)
        {
            var at = c.CycleStartedAt.AddDays(1);
            for (var i = 0; i < CreditLedger.MaxEntriesPerCycle; i++)
            {
                var logged = c.LogCredit(at, CreditLedger.MaxAmount, Text(CreditLedger.MaxCategoryLength), Text(CreditLedger.MaxActivityLength),
                    c.CreditLog.Count.ToString("D3") + Text(CreditLedger.MaxReferenceLength - 3), CreditSource.Holder, at, actor)!.Credential;
                c = logged.RejectCredit(logged.CreditLog.Count, at, actor, Text(CreditLedger.MaxReasonLength)).Credential;
            }
            c = c.Renew(RenewalPathway.RetakeExam, c.Schedule!.WindowOpensAt, "integration:lms").Credential;
        }
        return c;
    }

    [Fact]
    public async Task A_credential_at_every_credit_cap_stays_far_below_the_item_limit_and_refuses_the_next_credit()
    {
        var full = AtEveryCreditCap();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(full, CredentialJson.Options).Length;

        Assert.True(bytes < ItemLimitBytes / 2, $"At every credit cap the document is {bytes:N0} bytes; it must stay under half the {ItemLimitBytes:N0}-byte item limit.");
        var next = full.CycleStartedAt.AddDays(1);
        var refused = Assert.Throws<LimitReachedException>(() => full.LogCredit(next, 1, "CPD", "Course", "one-more", CreditSource.Holder, next, "user:ada"));
        Assert.Equal("creditEntries", refused.Limit);

        // And the store takes it and gives it back whole: still revocable, still verifiable.
        var database = new CredentialDatabase(cosmos.Client, new CosmosOptions { DatabaseName = "ledger-" + Guid.NewGuid().ToString("N")[..8] });
        await database.EnsureCreatedAsync(CancellationToken.None);
        var store = new CosmosCredentialStore(database, TestAnchors.Anchoring);
        Assert.True(await store.TryCreateAsync(full, CancellationToken.None));
        var read = (await store.GetAsync(full.CertificateId, CancellationToken.None))!;
        Assert.True(read.Value.VerifyAuditTrail().IsIntact);
        await store.ReplaceAsync(read.Value.Revoke(next, "user:pm", "Misconduct").Credential, read.ETag, CancellationToken.None);
    }

    [Fact]
    public void A_record_written_before_credits_were_numbered_or_reviewed_reads_with_its_audit_chain_intact()
    {
        var credential = RenewableByCredits();
        credential = credential.LogCredit(A.Jan1.AddDays(10), 4, "CPD", "Conference", null, CreditSource.ProgramStaff, A.Jan1.AddDays(10), "user:pm")!.Credential;
        credential = credential.LogCredit(A.Jan1.AddDays(20), 3, "Ethics", "Module", "m-1", CreditSource.ProgramStaff, A.Jan1.AddDays(20), "user:pm")!.Credential;
        var document = JsonSerializer.SerializeToNode(credential, CredentialJson.Options)!.AsObject();
        foreach (var entry in document["creditLog"]!.AsArray().Select(e => e!.AsObject()))
        {
            entry.Remove("number");
            entry.Remove("review");
        }
        Assert.DoesNotContain("number", document["creditLog"]!.ToJsonString());

        var read = document.Deserialize<Credential>(CredentialJson.Options)!;

        Assert.Equal([1, 2], read.CreditLog.Select(c => c.Number));
        Assert.All(read.CreditLog, c => Assert.True(c.Counts));
        Assert.Equal(7m, read.CreditsThisCycle.Counted);
        Assert.True(read.VerifyAuditTrail().IsIntact);
    }
}
