using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain.Learners;

namespace CredentialFunctions.Application.Hr;

/// <summary>
/// A person as the HR platform provisions them over SCIM, in the learner directory: the User
/// resource as last written (canonical, see <see cref="ScimUserResource"/>), the learner it is linked
/// to, and the supervisor assigned from its manager, so a move knows whom to unassign.
/// </summary>
/// <param name="UserNameKey">The userName folded, for the case-insensitive uniqueness check and filter (userName is not caseExact).</param>
/// <param name="LearnerId">The linked learner; null while no key finds one (see <see cref="LearnerLinking"/>).</param>
/// <param name="SupervisorId">The supervisor assigned to the learner for this person's manager (the manager's Entra object id).</param>
public sealed record DirectoryUser(
    string Id, string UserName, string UserNameKey, string? ExternalId, JsonObject Resource, string? LearnerId, string? SupervisorId,
    DateTimeOffset Created, DateTimeOffset LastModified)
{
    [JsonIgnore]
    public HrFacts Facts => ScimUserResource.Facts(Resource);

    [JsonIgnore]
    public Employment Employment => new(Facts.Active, Facts.Department, Facts.JobSite);

    public static string KeyOf(string userName) => SearchText.Fold(userName);
}
