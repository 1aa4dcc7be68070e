// The Key Vault that holds the Open Badges issuer signing key and the integrations' webhook
// secrets. RBAC mode (no access policies), soft delete and purge protection, so neither a mistake
// nor an attacker with the app's identity can destroy the issuer's key.

import { resourceTags, roleAssignment } from 'types.bicep'

@description('Name of the vault (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the vault.')
param location string

@description('Tags applied to the vault.')
param tags resourceTags

@description('Days a deleted vault, key or secret stays recoverable. Purge protection makes this binding.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Name of the key that signs Open Badges credentials (VC-JWT, RS256).')
param signingKeyName string

@description('Roles granted on the whole vault to the app.')
param roleAssignments roleAssignment[] = []

@description('Roles granted on the whole vault to the people or pipelines who set secrets and rotate keys.')
param operatorRoleAssignments roleAssignment[] = []

@description('Roles granted on the signing key only.')
param signingKeyRoleAssignments roleAssignment[] = []

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // No virtual network: the app reaches the vault over its public endpoint, and RBAC is the barrier.
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// ARM creates the first version if the key is missing and leaves an existing key untouched, so
// redeploying never rotates it; rotation is a deliberate `az keyvault key rotate` (README.md, "Deploy to Azure").
// The private key is generated inside the vault and never leaves it: the app signs by calling the
// vault. RSA gives RS256, the one algorithm every Open Badges 3.0 verifier must accept (OB 3.0 §8.2);
// 3072 bits for security past 2030 (NIST SP 800-57), at no cost a verifier notices.
resource signingKey 'Microsoft.KeyVault/vaults/keys@2024-11-01' = {
  parent: vault
  name: signingKeyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: ['sign', 'verify']
    attributes: { enabled: true, exportable: false }
  }
}

resource vaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in concat(roleAssignments, operatorRoleAssignments): {
    name: guid(vault.id, role.principalId, role.roleDefinitionId)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleDefinitionId)
      principalId: role.principalId
      principalType: role.principalType
      description: role.description
    }
  }
]

resource signingKeyRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in signingKeyRoleAssignments: {
    name: guid(signingKey.id, role.principalId, role.roleDefinitionId)
    scope: signingKey
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleDefinitionId)
      principalId: role.principalId
      principalType: role.principalType
      description: role.description
    }
  }
]

@description('Name of the vault.')
output name string = vault.name

@description('Vault URI with a trailing slash, e.g. https://<name>.vault.azure.net/.')
output uri string = vault.properties.vaultUri

@description('Name of the signing key.')
output signingKeyName string = signingKey.name
