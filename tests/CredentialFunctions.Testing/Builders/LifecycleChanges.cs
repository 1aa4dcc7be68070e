using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Testing.Builders;

/// <summary>One change of each kind that publishes a credential event, by the event's type, each on a credential of <see cref="A"/>.</summary>
public static class LifecycleChanges
{
    public static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);

    public static readonly IReadOnlyDictionary<string, Func<CredentialChange>> ByEventType = new Dictionary<string, Func<CredentialChange>>
    {
        [EventTypes.CredentialIssued] = () => Domain.Credentials.Credential.Issue(A.Id(), A.Learner, A.Program(), new Completion(A.Jan1, 88), Placement.None, A.Jan1, "integration:lms"),
        [EventTypes.CredentialRenewed] = () => A.Credential().Renew(RenewalPathway.RefresherModule, Expiry.AddDays(-40), "learner"),
        [EventTypes.CredentialRevoked] = () => A.Credential().Revoke(A.Jan1.AddDays(5), "pm", "Exam misconduct"),
        [EventTypes.CredentialLapsed] = () => Lapsed().Lapse(Expiry.AddDays(30)),
        [EventTypes.CredentialReinstated] = () => Lapsed().Lapse(Expiry.AddDays(30)).Credential.Reinstate(Expiry.AddDays(40), "pm", "Appeal upheld"),
        [EventTypes.CredentialTrackingEnded] = () => A.Credential().EndTracking(A.Jan1.AddDays(5), "integration:hr", "Left the company"),
    };

    private static Credential Lapsed() => A.Credential().EnterGrace(Expiry).Credential;
}
