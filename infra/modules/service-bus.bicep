// The Service Bus namespace that carries payment events to finance and credential events to
// anyone who subscribes, one topic each (service-bus-topic.bicep). Standard tier, because Basic
// has no topics. SAS keys are disabled: publishers and consumers authenticate with Entra ID.

import { resourceTags, roleAssignment } from 'types.bicep'

@description('Name of the Service Bus namespace (globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region of the namespace.')
param location string

@description('Tags applied to the namespace.')
param tags resourceTags

@description('Name of the topic the app publishes payment events to.')
param topicName string

@description('Name of the subscription finance reads from.')
param subscriptionName string

@description('Name of the topic the app publishes credential lifecycle events to, for anyone who subscribes (HR, a CRM, a data warehouse).')
param credentialsTopicName string

@description('Name of the credentials topic\'s first subscription; each further subscriber adds its own, filtered on the "type" application property if it likes.')
param credentialsSubscriptionName string

@description('How long the broker remembers a MessageId to drop a re-sent duplicate (ISO 8601). The outbox re-sends after a crash with the same MessageId: the 5-minute lease of a claim plus the 5-minute repair timer, well inside an hour.')
param duplicateDetectionWindow string = 'PT1H'

@description('How long an unread event waits for finance before it is dead-lettered (ISO 8601).')
param messageTimeToLive string = 'P14D'

@description('Roles granted on each topic (not the namespace): a sender can reach nothing else.')
param topicRoleAssignments roleAssignment[] = []

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

module payments 'service-bus-topic.bicep' = {
  params: {
    namespaceName: namespace.name
    name: topicName
    subscriptionName: subscriptionName
    duplicateDetectionWindow: duplicateDetectionWindow
    messageTimeToLive: messageTimeToLive
    roleAssignments: topicRoleAssignments
  }
}

module credentials 'service-bus-topic.bicep' = {
  params: {
    namespaceName: namespace.name
    name: credentialsTopicName
    subscriptionName: credentialsSubscriptionName
    duplicateDetectionWindow: duplicateDetectionWindow
    messageTimeToLive: messageTimeToLive
    roleAssignments: topicRoleAssignments
  }
}

// The namespace reports https://<name>.servicebus.windows.net:443/; clients want the bare host.
// Taking it from the endpoint instead of appending a DNS suffix keeps sovereign clouds right.
@description('Host name of the namespace, for ServiceBus__FullyQualifiedNamespace.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]

@description('Name of the payments topic, for ServiceBus__PaymentsTopic.')
output topicName string = payments.outputs.name

@description('Name of finance\'s subscription.')
output subscriptionName string = payments.outputs.subscriptionName

@description('Name of the credentials topic, for ServiceBus__CredentialsTopic.')
output credentialsTopicName string = credentials.outputs.name

@description('Name of the credentials topic\'s subscription.')
output credentialsSubscriptionName string = credentials.outputs.subscriptionName
