// The one identity the function app runs as. It is user-assigned so that every role assignment can
// be made before the app exists, and so the Key Vault references and AzureWebJobsStorage can name
// it by client id.

import { resourceTags } from 'types.bicep'

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags resourceTags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id, for the app\'s identity block and keyVaultReferenceIdentity.')
output id string = identity.id

@description('Client (application) id, for AZURE_CLIENT_ID and identity-based connections.')
output clientId string = identity.properties.clientId

@description('Object (principal) id, for role assignments.')
output principalId string = identity.properties.principalId
