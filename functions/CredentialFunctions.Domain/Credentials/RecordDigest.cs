using System.Globalization;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Credentials;

/// <summary>
/// The digest of every field of a credential an auditor relies on. Each audit entry carries the
/// digest of the record after its change, so an edit made behind the chain's back is detected too.
/// Not covered, by design: the audit trail itself (the chain covers it), the outbox, which
/// senders update without an audit entry, and the status list entries, a projection of the
/// audited state. A test fails any other field left out.
/// </summary>
public static class RecordDigest
{
    public static string Of(Credential c)
    {
        var t = new CanonicalText()
            .Add(c.CertificateId).Add(c.Holder.LearnerId).Add(c.Holder.LegalName).Add(c.Holder.Email).Add(c.Holder.LmsId).Add(c.Holder.HrId)
            .Add(c.Program.ProgramId).Add(Inv(c.Program.Version)).Add(c.Program.Name).Add(c.Program.Kind.ToString()).Add(c.Program.IssuingOrganization).Add(c.Program.Brand)
            .Add(c.Terms.Validity?.ToString()).Add(string.Join(',', c.Terms.ReminderOffsets)).Add(c.Terms.RenewalWindow.ToString())
            .Add(c.Terms.GracePeriod.ToString()).Add(c.Terms.LapseFollowUp.ToString()).Add(string.Join(',', c.Terms.Pathways)).Add(c.Terms.RequiredCeCredits?.ToString(CultureInfo.InvariantCulture))
            .Add(Ticks(c.Completion.CompletedAt)).Add(c.Completion.Score.ToString(CultureInfo.InvariantCulture)).Add(c.PassThreshold.ToString(CultureInfo.InvariantCulture))
            .Add(Ticks(c.IssuedAt)).Add(c.ExpiresAt is { } e ? Ticks(e) : null).Add(Inv(c.Cycle))
            .Add(c.ContentVersion).Add(c.RegulatoryModule).Add(c.Placement.Team).Add(c.Placement.Cohort).Add(c.Placement.JobSite)
            .Add(c.State.ToString()).Add(Ticks(c.StateChangedAt)).Add(c.StateReason).Add(c.SupersededBy);
        // Fields added later are appended only when set, labelled, so the digests of records written before they existed still match.
        if (c.TrackingEndedAt is { } ended) t.Add("trackingEndedAt").Add(Ticks(ended));
        if (c.Terms.MaxGraceExtension is { } maxGraceExtension) t.Add("maxGraceExtension").Add(maxGraceExtension.ToString());
        if (c.Terms.CreditAttestation != CreditAttestation.ReviewRequired) t.Add("creditAttestation").Add(c.Terms.CreditAttestation.ToString());
        if (c.Suspension is { } suspension) t.Add("suspension").Add(Ticks(suspension.At)).Add(suspension.By).Add(suspension.Reason);
        foreach (var link in c.Terms.PathwayLinks) t.Add("pathwayLink").Add(link.Pathway.ToString()).Add(link.Url);
        foreach (var credit in c.CreditsEarned) t.Add(credit.Amount.ToString(CultureInfo.InvariantCulture)).Add(credit.Category);
        foreach (var r in c.RenewalHistory) t.Add(Ticks(r.At)).Add(r.Pathway.ToString()).Add(r.PreviousExpiry is { } p ? Ticks(p) : null).Add(r.NewExpiry is { } n ? Ticks(n) : null).Add(r.By);
        foreach (var g in c.GraceExtensions) t.Add(Ticks(g.At)).Add(Ticks(g.GraceEndsAt)).Add(g.By).Add(g.Reason);
        c.CreditLog.AddTo(t);
        return AuditTrail.Sha256Hex(t.ToString());
    }

    private static string Inv(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Ticks(DateTimeOffset d) => d.UtcTicks.ToString(CultureInfo.InvariantCulture);
}
