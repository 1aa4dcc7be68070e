using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Testing.Builders;

/// <summary>
/// Applications in every state, each reached through the state machine's own transitions from a
/// submission to <see cref="Program"/> (one pathway, a fee, three attempts a year, two weeks between).
/// </summary>
public static class AnApplication
{
    public static readonly Money Fee = new(25_000, "USD");

    public static readonly EligibilityPathway Pathway = new("degree-experience", "Degree and two years' experience",
        [new RequiredDocument("Degree certificate", "A scan of the certificate or the final transcript")], "A bachelor's degree and two years in the trade.");

    public static readonly Candidate Candidate = new("candidate-1", "lms:42", "Ada Lovelace", "ada@example.org");

    public static readonly RetakePolicy Retake = new(3, IsoDuration.Parse("P1Y"), IsoDuration.FromDays(14));

    public static CertificationProgram Program(Money? fee = null, bool noFee = false, RetakePolicy? retake = null, CredentialKind kind = CredentialKind.InitialCertification)
        => A.Program(A.Definition(kind: kind) with { EligibilityPathways = [Pathway], Fee = noFee ? null : fee ?? Fee, Retake = retake ?? Retake });

    public static CertificationApplication Submitted(CertificationProgram? program = null, DateTimeOffset? at = null)
        => CertificationApplication.Submit("app-1", program ?? Program(), Pathway.PathwayId, Candidate, at ?? A.Jan1).Application;

    public static PaymentRecord Paid(DateTimeOffset at, Money? amount = null, PaymentKind kind = PaymentKind.Succeeded, string? eventId = "evt_1", string? paymentId = "pi_1")
        => new("", kind, PaymentMethod.Provider, amount ?? Fee, at, at, "integration:stripe", "stripe", eventId, paymentId, null);

    /// <summary>The application brought to <paramref name="status"/> by the transitions a candidate and a reviewer would make, a day apart.</summary>
    public static CertificationApplication In(ApplicationStatus status, CertificationProgram? program = null)
    {
        var day = A.Jan1;
        DateTimeOffset Next() => day = day.AddDays(1);
        var a = Submitted(program, day);
        CertificationApplication Eligible()
        {
            var approved = a.Approve(Next(), "user:pm", null).Application;
            return approved.Status == ApplicationStatus.AwaitingPayment ? approved.RecordPayment(Paid(Next())).Application : approved;
        }
        return status switch
        {
            ApplicationStatus.Submitted => a,
            ApplicationStatus.InReview => a.StartReview(Next(), "user:pm").Application,
            ApplicationStatus.MoreInformationRequested => a.RequestInformation(Next(), "user:pm", "Which employer?").Application,
            ApplicationStatus.Rejected => a.Reject(Next(), "user:pm", "No degree").Application,
            ApplicationStatus.AwaitingPayment => a.Approve(Next(), "user:pm", null).Application,
            ApplicationStatus.Eligible => Eligible(),
            ApplicationStatus.RetakeWaiting => Eligible().RecordResult("r1", 40, Next(), day, "user:pm", null).Application,
            ApplicationStatus.Issued => Eligible().RecordResult("r1", 90, Next(), day, "user:pm", "CERT-1").Application,
            ApplicationStatus.Completed => In(ApplicationStatus.Eligible, Program(kind: CredentialKind.PracticeTest)).RecordResult("r1", 90, A.Jan1.AddDays(10), A.Jan1.AddDays(10), "user:pm", null).Application,
            ApplicationStatus.Closed => In(ApplicationStatus.Eligible, Program(retake: Retake with { AttemptsAllowed = 1 })).RecordResult("r1", 40, A.Jan1.AddDays(10), A.Jan1.AddDays(10), "user:pm", null).Application,
            ApplicationStatus.Withdrawn => a.Withdraw(Next(), "user:candidate-1", null).Application,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
    }
}
