using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Tests.Issuance;

public sealed class LmsCompletionTests
{
    private static LmsCompletion CompletedAt(DateTimeOffset at) => new("evt-1", new LmsLearner("42", "Ada Lovelace", "ada@example.org"), "widgetmaker", 88, at);

    [Fact]
    public void A_completion_dated_up_to_the_clock_skew_ahead_is_taken_and_one_later_is_refused_naming_completedAt()
    {
        var latest = A.Jan1 + ClockSkew.Tolerance;

        Assert.Equal(latest, CompletedAt(latest).Validated(A.Jan1).CompletedAt);
        var refused = Assert.Throws<ValidationFailedException>(() => CompletedAt(latest.AddSeconds(1)).Validated(A.Jan1));
        Assert.Equal(["completedAt"], refused.Errors.Keys);
    }
}
