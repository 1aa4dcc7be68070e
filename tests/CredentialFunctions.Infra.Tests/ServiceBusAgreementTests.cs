using CredentialFunctions.Adapters.ServiceBus;
using CredentialFunctions.Infra.Tests.Support;

namespace CredentialFunctions.Infra.Tests;

/// <summary>The topic the code publishes payment events to is the topic Bicep provisions, set up for de-duplication.</summary>
[Collection(CompiledInfrastructureCollection.Name)]
public sealed class ServiceBusAgreementTests(CompiledInfrastructure infra)
{
    [Fact]
    public void Payments_topic_is_provisioned_under_the_name_ServiceBusOptions_uses()
    {
        var (deployment, topic) = infra.Single("Microsoft.ServiceBus/namespaces/topics");

        var name = deployment.Evaluate(topic.GetProperty("name")).Text!;

        Assert.Equal(new ServiceBusOptions().PaymentsTopic, name.Split('/').Last());
    }

    [Fact]
    public void Payments_topic_drops_duplicates_the_outbox_resends()
    {
        var (deployment, topic) = infra.Single("Microsoft.ServiceBus/namespaces/topics");
        var properties = topic.GetProperty("properties");

        Assert.True(properties.GetProperty("requiresDuplicateDetection").GetBoolean());
        var window = deployment.Evaluate(properties.GetProperty("duplicateDetectionHistoryTimeWindow")).Text!;
        Assert.True(System.Xml.XmlConvert.ToTimeSpan(window) >= TimeSpan.FromMinutes(1), $"A duplicate detection window of {window} is too short to matter.");
    }

    [Fact]
    public void Finance_reads_from_its_own_subscription_of_the_payments_topic()
    {
        var (deployment, subscription) = infra.Single("Microsoft.ServiceBus/namespaces/topics/subscriptions");

        var name = deployment.Evaluate(subscription.GetProperty("name")).Text!;

        Assert.EndsWith($"/{new ServiceBusOptions().PaymentsTopic}/finance", name, StringComparison.Ordinal);
    }
}
