using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Retention;

namespace CredentialFunctions.Domain.Tests;

public class RetentionTests
{
    // A.Credential: completed and issued on 2026-01-01 09:00, valid a year, 30 days' grace.
    private static readonly DateTimeOffset GraceEnd = A.Jan1.AddYears(1).AddDays(30);
    private static readonly RetentionPolicy SevenYears = new(7, RetentionBasis.CredentialEnd, PurgeMode.Anonymise);
    private static readonly RetentionPolicy EmploymentPlusThree = new(3, RetentionBasis.EmploymentEnd, PurgeMode.Delete);

    private static Credential Revoked(DateTimeOffset at) => A.Credential().Revoke(at, "user:pm", "Misconduct").Credential;

    private static Credential Untracked(Credential c, DateTimeOffset at) => c.EndTracking(at, "integration:hr", "Left the employer").Credential;

    private static Credential NeverExpiring() => A.Credential(A.Terms(validity: null));

    public static TheoryData<string, Credential, DateTimeOffset> Ends => new()
    {
        { "lapses at its grace end, not at expiry", A.Credential(), GraceEnd },
        { "lapsed by the renewal window: the grace end, not when the lapse was written", A.Credential().Lapse(GraceEnd.AddDays(3)).Credential, GraceEnd },
        { "revoked before it lapsed", Revoked(A.Jan1.AddMonths(2)), A.Jan1.AddMonths(2) },
        { "revoked after it lapsed: it ended at the lapse", Revoked(GraceEnd.AddYears(1)), GraceEnd },
        { "superseded", A.Credential().Supersede("NEXT", A.Jan1.AddMonths(5), "user:pm", "Re-issued").Credential, A.Jan1.AddMonths(5) },
        { "tracking ended while it was valid", Untracked(A.Credential(), A.Jan1.AddMonths(4)), A.Jan1.AddMonths(4) },
        { "never expires, tracking ended", Untracked(NeverExpiring(), A.Jan1.AddYears(3)), A.Jan1.AddYears(3) },
        { "grace extended: lapses at the new grace end", A.Credential().ExtendGrace(GraceEnd.AddDays(60), A.Jan1.AddMonths(11), "user:pm", "Illness").Credential, GraceEnd.AddDays(60) },
    };

    [Theory]
    [MemberData(nameof(Ends))]
    public void A_credential_ends_at_the_first_of_lapse_revocation_supersession_and_tracking_end(string _, Credential credential, DateTimeOffset endsAt)
    {
        Assert.Equal(endsAt, CredentialEnd.Of(credential, RetentionBasis.CredentialEnd));

        Assert.Equal(new RetentionVerdict(null, null), SevenYears.Judge(credential, endsAt.AddTicks(-1)));
        Assert.Equal(new RetentionVerdict(endsAt, null), SevenYears.Judge(credential, endsAt.AddYears(7).AddTicks(-1)));
        Assert.Equal(new RetentionVerdict(endsAt, endsAt.AddYears(7)), SevenYears.Judge(credential, endsAt.AddYears(7)));
        Assert.True(SevenYears.Judge(credential, endsAt.AddYears(30)).IsDue);
    }

    public static TheoryData<string, Credential> Standing => new()
    {
        { "never expires", NeverExpiring() },
        { "never expires, suspended", NeverExpiring().Suspend(A.Jan1.AddDays(3), "user:pm", "Inquiry").Credential },
    };

    [Theory]
    [MemberData(nameof(Standing))]
    public void A_credential_that_still_stands_is_never_due_on_either_basis(string _, Credential credential)
    {
        foreach (var now in new[] { A.Jan1, A.Jan1.AddYears(8), A.Jan1.AddYears(60), DateTimeOffset.MaxValue.AddYears(-60) })
        {
            Assert.False(SevenYears.Judge(credential, now).IsDue);
            Assert.False(EmploymentPlusThree.Judge(credential, now).IsDue);
        }
    }

    [Fact]
    public void A_credential_within_its_validity_or_grace_is_never_due_whatever_the_policy()
    {
        var shortest = new RetentionPolicy(RetentionPolicy.FewestYears, RetentionBasis.CredentialEnd, PurgeMode.Delete);
        for (var now = A.Jan1; now < GraceEnd; now = now.AddDays(7))
            Assert.Equal(new RetentionVerdict(null, null), shortest.Judge(A.Credential(), now));
    }

    [Fact]
    public void A_renewal_or_a_reinstatement_moves_the_end_with_the_new_expiry()
    {
        var renewed = A.Credential().Renew(Programs.RenewalPathway.RetakeExam, A.Jan1.AddMonths(11), "integration:lms").Credential;
        Assert.Equal(GraceEnd.AddYears(1), CredentialEnd.Of(renewed, RetentionBasis.CredentialEnd));

        var lapsed = A.Credential().Lapse(GraceEnd).Credential;
        var reinstated = lapsed.Reinstate(GraceEnd.AddYears(2), "user:pm", "Appeal upheld").Credential;
        Assert.Equal(GraceEnd.AddYears(3).AddDays(30), CredentialEnd.Of(reinstated, RetentionBasis.CredentialEnd));
        Assert.False(SevenYears.Judge(reinstated, GraceEnd.AddYears(7)).IsDue);
    }

    [Fact]
    public void Counted_from_employment_only_the_leaver_date_counts()
    {
        var revokedStillEmployed = Revoked(A.Jan1.AddMonths(2));
        Assert.Null(CredentialEnd.Of(revokedStillEmployed, RetentionBasis.EmploymentEnd));
        Assert.False(EmploymentPlusThree.Judge(revokedStillEmployed, A.Jan1.AddYears(40)).IsDue);

        var left = A.Jan1.AddYears(5);
        var leaver = Untracked(revokedStillEmployed, left);
        Assert.Equal(new RetentionVerdict(left, null), EmploymentPlusThree.Judge(leaver, left.AddYears(3).AddTicks(-1)));
        Assert.Equal(new RetentionVerdict(left, left.AddYears(3)), EmploymentPlusThree.Judge(leaver, left.AddYears(3)));
    }

    [Fact]
    public void Years_are_calendar_years_so_a_29_February_end_is_due_on_28_February()
    {
        var leapDay = new DateTimeOffset(2028, 2, 29, 12, 0, 0, TimeSpan.Zero);
        var leaver = Untracked(A.Credential(), leapDay);
        var policy = new RetentionPolicy(1, RetentionBasis.EmploymentEnd, PurgeMode.Delete);

        Assert.Equal(new DateTimeOffset(2029, 2, 28, 12, 0, 0, TimeSpan.Zero), policy.Judge(leaver, leapDay.AddYears(2)).DueSince);
    }

    [Fact]
    public void The_purge_log_entry_keeps_the_certificate_id_the_dates_and_what_purged_it_and_refuses_a_record_not_due()
    {
        var credential = Revoked(A.Jan1.AddMonths(2));
        var now = A.Jan1.AddYears(10);

        var entry = PurgeLogEntry.For(credential, 4, SevenYears, SevenYears.Judge(credential, now), now);

        Assert.Equal(new PurgeLogEntry(credential.CertificateId, "widgetmaker", 4, PurgeMode.Anonymise, A.Jan1, A.Jan1.AddYears(1),
            A.Jan1.AddMonths(2), A.Jan1.AddMonths(2).AddYears(7), now, PurgeLogEntry.Sweep), entry);
        Assert.Throws<InvalidTransitionException>(() => PurgeLogEntry.For(credential, 4, SevenYears, SevenYears.Judge(credential, A.Jan1.AddYears(3)), now));
    }

    public static TheoryData<RetentionPolicy, string> BadPolicies => new()
    {
        { new RetentionPolicy(0, RetentionBasis.CredentialEnd, PurgeMode.Anonymise), "retention.years" },
        { new RetentionPolicy(51, RetentionBasis.CredentialEnd, PurgeMode.Anonymise), "retention.years" },
        { new RetentionPolicy(7, (RetentionBasis)9, PurgeMode.Anonymise), "retention.after" },
        { new RetentionPolicy(7, RetentionBasis.EmploymentEnd, (PurgeMode)9), "retention.purge" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void A_program_refuses_a_retention_policy_out_of_bounds(RetentionPolicy policy, string field)
    {
        var failure = Assert.Throws<ValidationFailedException>(() => (A.Definition() with { Retention = policy }).Validated());
        Assert.Equal([field], failure.Errors.Keys);
    }

    [Fact]
    public void A_program_keeps_its_retention_policy_with_its_version()
    {
        var program = A.Program(A.Definition() with { Retention = SevenYears });
        var revised = program.Revise(program.Definition with { Retention = EmploymentPlusThree }, A.Jan1.AddDays(1), "admin");

        Assert.Equal((1, SevenYears), (program.Version, program.Definition.Retention));
        Assert.Equal((2, EmploymentPlusThree), (revised.Version, revised.Definition.Retention));
        Assert.Null(A.Program().Definition.Retention);
    }

    [Fact]
    public void A_legal_hold_is_placed_and_lifted_once_at_a_time_and_every_change_is_kept()
    {
        var hold = LegalHold.None(HoldSubject.Learner, "lms:42");
        var placed = hold.Place(A.Jan1, "user:counsel", "Litigation 2026-17");

        Assert.Throws<LegalHoldStateException>(() => placed.Place(A.Jan1.AddDays(1), "user:other", "Again"));
        Assert.Throws<LegalHoldStateException>(() => hold.Lift(A.Jan1, "user:counsel", "Nothing to lift"));
        var lifted = placed.Lift(A.Jan1.AddDays(9), "user:counsel", "Settled");
        var again = lifted.Place(A.Jan1.AddDays(20), "user:counsel", "Appeal");

        Assert.True(placed.Stands);
        Assert.False(lifted.Stands);
        Assert.Equal(new StandingHold(A.Jan1.AddDays(20), "user:counsel", "Appeal"), again.Standing);
        Assert.Equal([HoldChange.Placed, HoldChange.Lifted, HoldChange.Placed], again.History.Select(h => h.Change));
        Assert.Equal("learner:lms:42", again.Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" lms:42")]
    [InlineData("lms:\u0000")]
    public void A_legal_hold_refuses_a_bad_subject_id(string bad)
        => Assert.Equal(["subjectId"], Assert.Throws<ValidationFailedException>(() => LegalHold.None(HoldSubject.Program, bad)).Errors.Keys);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_legal_hold_is_placed_and_lifted_only_with_a_reason(string? reason)
    {
        var hold = LegalHold.None(HoldSubject.Program, "widgetmaker");
        Assert.Equal(["reason"], Assert.Throws<ValidationFailedException>(() => hold.Place(A.Jan1, "user:a", reason!)).Errors.Keys);
        Assert.Equal(["reason"], Assert.Throws<ValidationFailedException>(() => hold.Place(A.Jan1, "user:a", "Audit").Lift(A.Jan1, "user:a", reason!)).Errors.Keys);
        Assert.Equal(["reason"], Assert.Throws<ValidationFailedException>(() => hold.Place(A.Jan1, "user:a", new string('r', 1001))).Errors.Keys);
    }
}
