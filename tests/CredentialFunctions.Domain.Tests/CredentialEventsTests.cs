using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;

namespace CredentialFunctions.Domain.Tests;

public class CredentialEventsTests
{
    public static TheoryData<string> EventTypesOfChanges => [.. LifecycleChanges.ByEventType.Keys];

    private static IntegrationEvent Single(Credential before, Credential after)
    {
        var added = after.Outbox.UnsentEvents.Where(e => before.Outbox.Find(e.Key) is null).ToList();
        return IntegrationEvent.FromPayload(Assert.Single(added).Payload!);
    }

    [Theory]
    [MemberData(nameof(EventTypesOfChanges))]
    public void Each_lifecycle_change_owes_exactly_one_event_named_by_its_audit_entry(string type)
    {
        var change = LifecycleChanges.ByEventType[type]();

        var entry = Assert.Single(change.Credential.Outbox.Entries, e => e.Channel == OutboxChannel.Events && e.Type == type);
        var published = IntegrationEvent.FromPayload(entry.Payload!);
        Assert.Equal((OutboxState.Pending, IntegrationEvent.OutboxKey(published.Id)), (entry.State, entry.Key));
        Assert.Equal(($"{change.Credential.CertificateId}:{change.Entry.Sequence}", type, $"credentials/{change.Credential.CertificateId}", change.Entry.At),
            (published.Id, published.Type, published.Subject, published.Time));
        Assert.Equal(change.Credential.Holder.LearnerId, (string?)published.Data["learnerId"]);
        Assert.Equal(change.Credential.ExpiresAt, (DateTimeOffset?)published.Data["expiresAt"]);
    }

    [Fact]
    public void Every_credential_event_type_has_a_change_that_publishes_it()
    {
        var credentialTypes = typeof(EventTypes).GetFields()
            .Where(f => f.IsLiteral && !f.Name.EndsWith("Prefix", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(t => t.StartsWith(EventTypes.CredentialPrefix, StringComparison.Ordinal));

        Assert.Equal(credentialTypes.Order(), LifecycleChanges.ByEventType.Keys.Order());
    }

    [Fact]
    public void Events_carry_no_name_email_or_reason()
    {
        var revoked = LifecycleChanges.ByEventType[EventTypes.CredentialRevoked]().Credential;
        var payload = revoked.Outbox.UnsentEvents.Last().Payload!;

        Assert.DoesNotContain(A.Learner.LegalName, payload, StringComparison.Ordinal);
        Assert.DoesNotContain(A.Learner.Email, payload, StringComparison.Ordinal);
        Assert.DoesNotContain("misconduct", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void A_renewal_event_says_by_which_pathway_and_how_the_expiry_moved()
    {
        var before = A.Credential();
        var renewed = LifecycleChanges.ByEventType[EventTypes.CredentialRenewed]().Credential;

        var data = Single(before, renewed).Data;
        Assert.Equal(("refresherModule", before.ExpiresAt, renewed.ExpiresAt, 2), ((string?)data["pathway"], (DateTimeOffset?)data["previousExpiresAt"], (DateTimeOffset?)data["expiresAt"], (int?)data["cycle"]));
    }

    [Fact]
    public void A_change_that_tells_nobody_owes_no_event()
    {
        var c = A.Credential();

        var extended = c.EnterGrace(LifecycleChanges.Expiry).Credential.ExtendGrace(LifecycleChanges.Expiry.AddDays(45), LifecycleChanges.Expiry.AddDays(1), "pm", "Hospital stay").Credential;

        Assert.Equal(c.Outbox.UnsentEvents.Select(e => e.Key), extended.Outbox.UnsentEvents.Select(e => e.Key));
    }

    [Fact]
    public void Events_of_successive_changes_have_their_own_ids_and_earlier_ones_stay_owed()
    {
        var issued = A.Credential();
        var revoked = issued.Revoke(A.Jan1.AddDays(1), "pm", "Error").Credential;
        var reinstated = revoked.Reinstate(A.Jan1.AddDays(2), "pm", "Error undone").Credential;

        Assert.Equal([EventTypes.CredentialIssued, EventTypes.CredentialRevoked, EventTypes.CredentialReinstated], reinstated.Outbox.UnsentEvents.Select(e => e.Type));
        Assert.Equal(3, reinstated.Outbox.UnsentEvents.Select(e => e.Key).Distinct().Count());
        Assert.Equal("active", (string?)Single(revoked, reinstated).Data["state"]);
    }
}
