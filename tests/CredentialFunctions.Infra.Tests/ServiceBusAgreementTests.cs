using CredentialFunctions.Adapters.ServiceBus;
using CredentialFunctions.Infra.Tests.Support;

namespace CredentialFunctions.Infra.Tests;

/// <summary>The topics the code publishes events to are the topics Bicep provisions, each set up for de-duplication, each open to the app's sends.</summary>
[Collection(CompiledInfrastructureCollection.Name)]
public sealed class ServiceBusAgreementTests(CompiledInfrastructure infra)
{
    private static readonly string[] TopicsTheCodeUses = [new ServiceBusOptions().PaymentsTopic, new ServiceBusOptions().CredentialsTopic];

    private IEnumerable<(string Name, ArmDeployment Deployment, System.Text.Json.JsonElement Resource)> Topics()
        => infra.Main.FindAll("Microsoft.ServiceBus/namespaces/topics")
            .Select(t => (t.Deployment.Evaluate(t.Resource.GetProperty("name")).Text!.Split('/').Last(), t.Deployment, t.Resource));

    [Fact]
    public void The_payments_and_credentials_topics_are_provisioned_under_the_names_ServiceBusOptions_uses()
        => Assert.Equal(TopicsTheCodeUses.Order(), Topics().Select(t => t.Name).Order());

    [Fact]
    public void Every_topic_drops_duplicates_the_outbox_resends()
    {
        Assert.All(Topics(), t =>
        {
            var properties = t.Resource.GetProperty("properties");
            Assert.True(properties.GetProperty("requiresDuplicateDetection").GetBoolean(), t.Name);
            var window = t.Deployment.Evaluate(properties.GetProperty("duplicateDetectionHistoryTimeWindow")).Text!;
            Assert.True(System.Xml.XmlConvert.ToTimeSpan(window) >= TimeSpan.FromMinutes(10), $"A duplicate detection window of {window} on {t.Name} is shorter than the event repair's reach.");
        });
    }

    [Fact]
    public void Finance_reads_from_its_own_subscription_of_the_payments_topic_and_the_credentials_topic_has_one_too()
    {
        var subscriptions = infra.Main.FindAll("Microsoft.ServiceBus/namespaces/topics/subscriptions")
            .Select(s => s.Deployment.Evaluate(s.Resource.GetProperty("name")).Text!)
            .ToList();

        Assert.Contains(subscriptions, s => s.EndsWith($"/{new ServiceBusOptions().PaymentsTopic}/finance", StringComparison.Ordinal));
        Assert.Contains(subscriptions, s => s.Split('/')[^2] == new ServiceBusOptions().CredentialsTopic);
    }

    [Fact]
    public void The_app_identity_may_send_to_each_topic()
    {
        Assert.All(Topics(), t =>
        {
            var roles = t.Deployment.Parameter("roleAssignments").Items().SelectMany(a => a.Property("roleDefinitionId").Sources);
            Assert.Contains(roles, source => source.Contains("serviceBusDataSender", StringComparison.Ordinal));
            Assert.Single(t.Deployment.ResourcesOfType("Microsoft.Authorization/roleAssignments"));
        });
    }
}
