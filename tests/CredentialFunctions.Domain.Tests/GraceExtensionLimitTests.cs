using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests;

public class GraceExtensionLimitTests
{
    // Issued 1 Jan 2026 under a one-year program with 30 days' grace: expires 1 Jan 2027, grace ends 31 Jan 2027.
    private static readonly DateTimeOffset NormalGraceEnd = A.Jan1.AddYears(1).AddDays(30);
    private static readonly DateTimeOffset InGrace = A.Jan1.AddYears(1).AddDays(3);

    [Fact]
    public void Grace_extends_up_to_the_programs_limit_beyond_its_normal_end_and_not_a_second_further()
    {
        var c = A.Credential(A.Terms() with { MaxGraceExtension = IsoDuration.FromDays(60) });

        var extended = c.ExtendGrace(NormalGraceEnd.AddDays(60), InGrace, "pm", "Deployed abroad").Credential;
        var refused = Assert.Throws<ValidationFailedException>(() => c.ExtendGrace(NormalGraceEnd.AddDays(60).AddSeconds(1), InGrace, "pm", "Deployed abroad"));

        Assert.Equal(NormalGraceEnd.AddDays(60), extended.Schedule!.GraceEndsAt);
        Assert.Equal(["graceEndsAt"], refused.Errors.Keys);
    }

    [Fact]
    public void The_end_of_the_calendar_is_refused_as_a_grace_end_rather_than_breaking_the_schedule()
    {
        var c = A.Credential();
        var refused = Assert.Throws<ValidationFailedException>(() => c.ExtendGrace(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), InGrace, "pm", "Forever"));
        Assert.Equal(["graceEndsAt"], refused.Errors.Keys);
    }

    [Fact]
    public void Records_from_before_the_limit_existed_may_extend_by_the_default_of_180_days()
    {
        var c = A.Credential();
        Assert.Null(c.Terms.MaxGraceExtension);
        Assert.Equal(NormalGraceEnd.AddDays(180), c.ExtendGrace(NormalGraceEnd.AddDays(180), InGrace, "pm", "Medical leave").Credential.Schedule!.GraceEndsAt);
        Assert.Throws<ValidationFailedException>(() => c.ExtendGrace(NormalGraceEnd.AddDays(181), InGrace, "pm", "Medical leave"));
    }

    [Fact]
    public void A_reason_is_kept_normalised_and_a_reason_that_hides_text_is_refused()
    {
        var c = A.Credential();
        Assert.Equal("Caf\u00e9 closed", c.Revoke(InGrace, "pm", " Cafe\u0301 closed ").Entry.Reason);
        Assert.Equal(["reason"], Assert.Throws<ValidationFailedException>(() => c.Revoke(InGrace, "pm", "Fraud\u202E")).Errors.Keys);
        Assert.Equal(["activity"], Assert.Throws<ValidationFailedException>(() => c.LogCredit(InGrace, 1, "CPD", "Seminar\r\nBcc: x@example.org", null, CreditSource.ProgramStaff, InGrace, "pm")).Errors.Keys);
    }
}
