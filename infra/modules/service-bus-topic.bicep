// One topic of the events namespace with the subscription that reads it and the roles granted on
// it. Duplicate detection is on: the outbox re-sends an event with the same MessageId after a
// crash, and the broker drops the copy.

import { roleAssignment } from 'types.bicep'

@description('Name of the Service Bus namespace the topic belongs to.')
param namespaceName string

@description('Name of the topic.')
param name string

@description('Name of the subscription that reads every event of the topic.')
param subscriptionName string

@description('How long the broker remembers a MessageId to drop a re-sent duplicate (ISO 8601).')
param duplicateDetectionWindow string

@description('How long an unread event waits before it is dead-lettered (ISO 8601).')
param messageTimeToLive string

@description('Roles granted on the topic (not the namespace): a sender can reach nothing else.')
param roleAssignments roleAssignment[] = []

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: namespaceName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: name
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
  for role in roleAssignments: {
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

@description('Name of the topic.')
output name string = topic.name

@description('Name of the subscription.')
output subscriptionName string = subscription.name
