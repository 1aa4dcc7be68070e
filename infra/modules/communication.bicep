// Azure Communication Services with an Email service and an Azure-managed sender domain
// (DoNotReply@<guid>.azurecomm.net), linked so the app can send reminders, issuance and lapse
// notices. Access keys are disabled: the app sends with its managed identity.

import { resourceTags, roleAssignment } from 'types.bicep'

@description('Name of the Communication Services resource (globally unique).')
param communicationServiceName string

@description('Name of the Email Communication Services resource.')
param emailServiceName string

@description('Where Communication Services stores data at rest, e.g. Europe or United States.')
param dataLocation string

@description('Tags applied to all three resources.')
param tags resourceTags

@description('Roles granted on the Communication Services resource.')
param roleAssignments roleAssignment[] = []

// Communication resources are global; dataLocation, not location, decides where data rests.
resource emailService 'Microsoft.Communication/emailServices@2025-05-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: { dataLocation: dataLocation }
}

// An Azure-managed domain needs no DNS work, so `azd up` can send mail at once. A custom domain
// (your own From address) is added beside it later and verified through DNS.
resource managedDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // Open and click tracking rewrite links in credential emails; verification links must stay as issued.
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [managedDomain.id]
    disableLocalAuth: true
  }
}

resource communicationRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in roleAssignments: {
    name: guid(communicationService.id, role.principalId, role.roleDefinitionId)
    scope: communicationService
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleDefinitionId)
      principalId: role.principalId
      principalType: role.principalType
      description: role.description
    }
  }
]

@description('Endpoint of the Communication Services resource, for Email__Acs__Endpoint.')
output endpoint string = 'https://${communicationService.properties.hostName}'

@description('From address on the Azure-managed domain, for Email__SenderAddress.')
output senderAddress string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
