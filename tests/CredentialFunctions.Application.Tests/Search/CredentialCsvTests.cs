using System.Runtime.CompilerServices;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain.Credentials;
using CsvHelper;

namespace CredentialFunctions.Application.Tests.Search;

public sealed class CredentialCsvTests
{
    private static readonly DateTimeOffset At = A.Jan1.AddDays(10);

    private static async IAsyncEnumerable<Credential> Rows(IEnumerable<Credential> credentials)
    {
        foreach (var credential in credentials)
        {
            await Task.Yield();
            yield return credential;
        }
    }

    private static async Task<string> CsvOf(params Credential[] credentials)
    {
        var output = new StringWriter();
        await CredentialCsv.WriteAsync(output, Rows(credentials), At, CancellationToken.None);
        return output.ToString();
    }

    private static List<Dictionary<string, string>> Parse(string csv)
    {
        using var reader = CsvReader.Create(new StringReader(csv));
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
            rows.Add(CredentialCsv.Columns.ToDictionary(c => c, c => reader.GetString(c)));
        return rows;
    }

    private static Credential Named(string name, int seed = 7, Placement? placement = null)
        => A.Credential(A.Program(), seed: seed, holder: A.Learner with { LegalName = name }, placement: placement);

    [Fact]
    public async Task Every_field_reads_back_as_written()
    {
        var plain = Named("Ada \"Countess\" Lovelace, of Ockham", seed: 1);
        var renewed = A.Credential(A.Program(), seed: 2).Renew(Domain.Programs.RenewalPathway.RetakeExam, A.Jan1.AddMonths(11), "user:pm").Credential;

        var rows = Parse(await CsvOf(plain, renewed));

        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal(plain.CertificateId, first["certificateId"]);
        Assert.Equal("Ada \"Countess\" Lovelace, of Ockham", first["fullLegalName"]);
        Assert.Equal("2026-01-01T09:00:00Z", first["completedAt"]);
        Assert.Equal(("88", "70"), (first["score"], first["passThreshold"]));
        Assert.Equal("2027-01-01T09:00:00Z", first["expiresAt"]);
        Assert.Equal("active", first["status"]);
        Assert.Equal("2.5 CPD", first["credits"]);
        Assert.Equal(("Widget Board", "Certified Widgetmaker", "widgetmaker", "1"), (first["issuingOrganization"], first["program"], first["programId"], first["programVersion"]));
        Assert.Equal(("2026.1", "", "Blue", "2026-A", "Site 3"), (first["contentVersion"], first["regulatoryModule"], first["team"], first["cohort"], first["jobSite"]));
        Assert.Equal(("0", ""), (first["renewals"], first["renewalHistory"]));
        Assert.Equal(("1", "2026-12-01T09:00:00Z retakeExam to 2028-01-01T09:00:00Z"), (rows[1]["renewals"], rows[1]["renewalHistory"]));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"Ada\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A9)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public async Task A_cell_that_a_spreadsheet_would_run_as_a_formula_is_escaped_as_text(string name)
    {
        var csv = await CsvOf(Named(name, placement: new Placement(name, "2026-A", name)));

        var row = Assert.Single(Parse(csv));
        Assert.Equal("'" + name, row["fullLegalName"]);
        Assert.Equal("'" + name, row["team"]);
        Assert.Equal("'" + name, row["jobSite"]);
        // OWASP's rule: the escaped cell is also quoted, so nothing before the quote can start a formula.
        Assert.Contains("\"'" + name.Replace("\"", "\"\""), csv);
    }

    [Fact]
    public async Task Ordinary_names_are_left_as_they_are()
    {
        var row = Assert.Single(Parse(await CsvOf(Named("Zoë O'Brien-Smith"))));
        Assert.Equal("Zoë O'Brien-Smith", row["fullLegalName"]);
    }

    [Fact]
    public async Task A_hundred_thousand_rows_stream_through_in_bounded_memory()
    {
        const int total = 100_000;
        var template = A.Credential();
        var sink = new CountingWriter();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;

        async IAsyncEnumerable<Credential> Generated([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < total; i++)
            {
                if (i % 10_000 == 0)
                {
                    await Task.Yield();
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                }
                yield return template with { CertificateId = $"ROW-{i:D6}", Holder = template.Holder with { LegalName = $"Learner {i}" } };
            }
        }

        await CredentialCsv.WriteAsync(sink, Generated(), At, CancellationToken.None);

        Assert.Equal(total + 1, sink.Lines);
        // The file is tens of megabytes; what stays alive while it is written is the writer's buffer.
        Assert.True(sink.Characters > 15_000_000, $"{sink.Characters:N0} characters written");
        Assert.True(peak < 8 * 1024 * 1024, $"the heap grew by {peak:N0} bytes while {sink.Characters:N0} characters were written");
    }

    /// <summary>A destination that keeps nothing: it counts what it is given.</summary>
    private sealed class CountingWriter : TextWriter
    {
        public long Characters { get; private set; }
        public long Lines { get; private set; }
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            Characters++;
            if (value == '\n') Lines++;
        }

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Characters += buffer.Length;
            Lines += buffer.Count('\n');
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(buffer.AsMemory(index, count));
    }
}
