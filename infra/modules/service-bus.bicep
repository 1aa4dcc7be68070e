// The Service Bus namespace that carries payment events to finance. Standard tier, because Basic
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

@description('How long the broker remembers a MessageId to drop a re-sent duplicate (ISO 8601). The outbox re-sends after a crash with the same MessageId, so this covers its retry horizon.')
param duplicateDetectionWindow string = 'PT10M'

@description('How long an unread event waits for finance before it is dead-lettered (ISO 8601).')
param messageTimeToLive string = 'P14D'

@description('Roles granted on the topic (not the namespace): a sender can reach nothing else.')
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

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: topicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: messageTimeToLive
  }
}

resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: topic
  name: subscriptionName
  properties: {
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

resource topicRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in topicRoleAssignments: {
    name: guid(topic.id, role.principalId, role.roleDefinitionId)
    scope: topic
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleDefinitionId)
      principalId: role.principalId
      principalType: role.principalType
      description: role.description
    }
  }
]

// The namespace reports https://<name>.servicebus.windows.net:443/; clients want the bare host.
// Taking it from the endpoint instead of appending a DNS suffix keeps sovereign clouds right.
@description('Host name of the namespace, for ServiceBus__FullyQualifiedNamespace.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]

@description('Name of the payments topic, for ServiceBus__PaymentsTopic.')
output topicName string = topic.name

@description('Name of finance\'s subscription.')
output subscriptionName string = subscription.name
