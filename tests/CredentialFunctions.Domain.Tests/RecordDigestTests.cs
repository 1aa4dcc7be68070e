using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Tests;

public class RecordDigestTests
{
    /// <summary>Digests computed by the code before the digest had its own type: stored records must still verify.</summary>
    [Fact]
    public void Records_written_before_the_digest_moved_keep_their_digest()
    {
        var issued = A.Credential();
        var extended = issued.ExtendGrace(A.Jan1.AddYears(1).AddDays(40), A.Jan1.AddDays(100), "pm", "Medical leave").Credential;
        var logged = extended.LogCredit(A.Jan1.AddDays(50), 3, "CPD", "Seminar", "ref-1", CreditSource.ProgramStaff, A.Jan1.AddDays(60), "learner")!.Credential;

        Assert.Equal("ab5e6f2c19c8cb6235ffa15f05e633de4a82579c32f6c2d1a60362b989343497", RecordDigest.Of(issued));
        Assert.Equal("6c30f6546db7d8101c6cdd0decbc950d8e53ccc1567c5057dffdc5d62fa3e89b", RecordDigest.Of(logged));
    }
}
