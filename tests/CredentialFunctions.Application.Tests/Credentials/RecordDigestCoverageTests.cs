using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Tests.Credentials;

/// <summary>
/// The tamper check is only as good as the digest's field list. This walks the stored JSON of a
/// credential with every field set, changes each value in turn as someone editing the document
/// would, and requires the digest to notice, so a field added later cannot escape the check unseen.
/// </summary>
public sealed class RecordDigestCoverageTests
{
    /// <summary>Stored parts the digest leaves out on purpose, and why.</summary>
    private static readonly Dictionary<string, string> Excluded = new()
    {
        ["auditTrail"] = "the chain covers itself: each entry's hash covers its fields and the hash before it, and AuditTrail.Verify recomputes them",
        ["anchor"] = "it seals the chain's head with a key the database does not hold, and the head's hash covers the record's digest; the store makes it on every write",
        ["outbox"] = "claims and attempts of the messages a credential owes are written without an audit entry (CredentialUpdater.UpdateUnauditedAsync); each message sent is audited instead",
        ["statusLists"] = "where the status is published and what the lists last said: assigned and updated without an audit entry, a projection of the audited state (revoked, suspended), which the digest covers",
    };

    /// <summary>A credential that went through every kind of change, so every stored field holds a value.</summary>
    private static Credential FullyPopulated()
    {
        var terms = A.Terms(pathways: [RenewalPathway.RetakeExam, RenewalPathway.ContinuingEducationCredits])
            with { RequiredCeCredits = 10, MaxGraceExtension = IsoDuration.FromDays(60), PathwayLinks = [new RenewalPathwayLink(RenewalPathway.RetakeExam, "https://lms.example.org/exam")] };
        var program = A.Program(A.Definition(terms) with { RegulatoryModule = "OSHA-1910" });
        var c = A.Credential(program, holder: A.Learner with { HrId = "hr-7" });
        c = c.LogCredit(A.Jan1.AddDays(30), 4, "CPD", "Safety seminar", "seminar-1", CreditSource.Holder, A.Jan1.AddDays(31), "user:ada")!.Credential;
        // Rejected, not approved: only a rejection carries a reason, and every stored field needs a value.
        c = c.RejectCredit(1, A.Jan1.AddDays(32), "user:pm", "No certificate attached").Credential;
        c = c.Renew(RenewalPathway.RetakeExam, A.Jan1.AddDays(300), "user:pm").Credential;
        c = c.ExtendGrace(c.Schedule!.GraceEndsAt.AddDays(10), A.Jan1.AddDays(301), "user:pm", "Medical leave").Credential;
        c = c.ClaimOutboxEntry(OutboxEntry.Pending("c2:reminder:P90D", OutboxChannel.Email, "RenewalReminder", "{}"), "worker-1", A.Jan1.AddDays(302), TimeSpan.FromMinutes(5))!;
        c = c.RecordOutboxSent("c2:reminder:P90D", "msg-1", A.Jan1.AddDays(302)).Credential;
        c = c.EndTracking(A.Jan1.AddDays(303), "user:pm", "Left the employer").Credential;
        c = c.Suspend(A.Jan1.AddDays(303), "user:pm", "Complaint under review").Credential;
        return c.Supersede("7QXM-2K9D-RH4T-WZ5C", A.Jan1.AddDays(304), "user:pm", "Re-issued under the new name").Credential;
    }

    [Fact]
    public void Every_stored_field_of_a_credential_is_covered_by_the_digest_or_excluded_with_a_reason()
    {
        var credential = FullyPopulated();
        var stored = JsonSerializer.SerializeToNode(credential, CredentialJson.Options)!;
        var digest = RecordDigest.Of(credential);
        var covered = new List<string>();
        var escaped = new List<string>();

        foreach (var (path, leaf) in Leaves(stored, []))
        {
            var name = Name(path);
            if (Excluded.Keys.Any(e => name == e || name.StartsWith(e + ".", StringComparison.Ordinal) || name.StartsWith(e + "[", StringComparison.Ordinal))) continue;
            // A value recomputed on read (the schedule, this cycle's credits) has nothing stored to tamper with, and
            // may be null in any one record: renewable by credits needs counted credits, every review here a reason.
            if (leaf is null && NullProbes.Select(p => Read(stored, path, p)).Any(read => read is not null && !Keeps(read, stored, path))) continue;
            Assert.True(leaf is not null, $"{name} is null: give it a value in FullyPopulated, so this test can tell whether the digest covers it.");
            Assert.False(leaf is JsonArray { Count: 0 }, $"{name} is empty: give it an entry in FullyPopulated, so this test can tell whether the digest covers its fields.");
            if (leaf is JsonArray) continue;
            if (Mutations(leaf!).Select(m => Tampered(stored, path, m)).FirstOrDefault(t => t is not null) is not { } tampered) continue;
            (RecordDigest.Of(tampered) == digest ? escaped : covered).Add(name);
        }

        Assert.True(escaped.Count == 0, $"Stored but not in the digest (add to RecordDigest.Of, or to Excluded with a reason): {string.Join(", ", escaped)}");
        Assert.Contains("terms.maxGraceExtension", covered);
        Assert.Contains("creditLog[0].loggedBy", covered);
        Assert.True(covered.Count > 50, $"Only {covered.Count} fields were checked: {string.Join(", ", covered)}");
    }

    /// <summary>Every leaf (and every empty array) with its path of property names and indices.</summary>
    private static IEnumerable<(object[] Path, JsonNode? Leaf)> Leaves(JsonNode? node, object[] path) => node switch
    {
        JsonObject o => o.SelectMany(p => Leaves(p.Value, [.. path, p.Key])),
        JsonArray { Count: > 0 } a => a.SelectMany((item, i) => Leaves(item, [.. path, i])),
        _ => [(path, node)],
    };

    private static string Name(object[] path)
        => string.Concat(path.Select((p, i) => p is int n ? $"[{n}]" : i == 0 ? (string)p : "." + p));

    /// <summary>Edits an editor of the document might make, each valid for some type: the first one the record takes is used.</summary>
    private static IEnumerable<JsonNode> Mutations(JsonNode leaf)
    {
        switch (leaf.GetValueKind())
        {
            case JsonValueKind.True or JsonValueKind.False:
                yield return JsonValue.Create(!leaf.GetValue<bool>());
                break;
            case JsonValueKind.Number:
                var n = decimal.Parse(leaf.ToJsonString(), CultureInfo.InvariantCulture);
                yield return JsonValue.Create(n == decimal.Truncate(n) ? n + 1 : n + 0.5m);
                break;
            case JsonValueKind.String:
                var s = leaf.GetValue<string>();
                if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant)) yield return JsonValue.Create(instant.AddSeconds(1));
                if (IsoDuration.TryParse(s, out var duration)) yield return JsonValue.Create((duration with { Days = duration.Days + 1 }).ToString());
                foreach (var other in typeof(Credential).Assembly.GetTypes().Where(t => t.IsEnum).SelectMany(Enum.GetNames).Select(JsonNamingPolicy.CamelCase.ConvertName).Where(e => e != s))
                    yield return JsonValue.Create(other);
                yield return JsonValue.Create(s + "x");
                break;
        }
    }

    /// <summary>Values for a null leaf: whatever its type, one of them reads.</summary>
    private static readonly JsonNode[] NullProbes = [JsonValue.Create(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), JsonValue.Create(1m), JsonValue.Create("x"), JsonValue.Create(true)];

    /// <returns>The credential read back from the edited document; null when it does not read, or the edit is not kept (a derived value).</returns>
    private static Credential? Tampered(JsonNode stored, object[] path, JsonNode replacement)
        => Read(stored, path, replacement) is { } read && Keeps(read, stored, path) ? read : null;

    /// <returns>The credential read back from the document with the leaf at the path replaced; null when it does not read.</returns>
    private static Credential? Read(JsonNode stored, object[] path, JsonNode replacement)
    {
        var document = stored.DeepClone();
        var parent = path[..^1].Aggregate(document, (node, step) => step is int i ? node[i]! : node[(string)step]!);
        if (path[^1] is int index) parent[index] = replacement;
        else parent[(string)path[^1]] = replacement;
        try
        {
            return document.Deserialize<Credential>(CredentialJson.Options)!;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the credential read back holds at the path something other than the stored value: false for a value recomputed on read.</summary>
    private static bool Keeps(Credential read, JsonNode stored, object[] path)
    {
        var readBack = path.Aggregate(JsonSerializer.SerializeToNode(read, CredentialJson.Options), (node, step) => step is int i ? node?[i] : node?[(string)step]);
        var original = path.Aggregate((JsonNode?)stored, (node, step) => step is int i ? node?[i] : node?[(string)step]);
        return readBack?.ToJsonString() != original?.ToJsonString();
    }
}
