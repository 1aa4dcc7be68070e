// The function app on the Flex Consumption plan: Linux, .NET isolated worker, scale to zero, and
// the user-assigned identity for everything it touches. Its app settings are passed in whole by
// main.bicep, which builds them from the other modules' outputs.

import { resourceTags } from 'types.bicep'

@description('Name of the function app (globally unique host name).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan.')
param tags resourceTags

@description('Tags applied to the app; azd finds the app to deploy to by its azd-service-name tag.')
param appTags resourceTags

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Blob endpoint of the storage account that holds the deployment package.')
param deploymentBlobEndpoint string

@description('Container the deployment package is uploaded to.')
param deploymentContainerName string

@description('.NET version of the isolated worker, as Flex Consumption names it (10.0 for net10.0). A test checks it matches the TargetFramework in Directory.Build.props.')
param dotnetVersion string = '10.0'

@description('Memory of each instance in MB. 2048 is the default and enough for PDF rendering.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on instances, which also bounds cost and the load on Cosmos DB.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('App settings as name → value. Must hold no secrets: secrets are Key Vault references.')
param appSettings { *: string }

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings resolve with this identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: { name: 'dotnet-isolated', version: dotnetVersion }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }
}

// Settings live in their own resource so the whole set is replaced on each deployment: Bicep is
// the only writer, and a setting removed here disappears from Azure too.
resource settings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: app
  name: 'appsettings'
  properties: appSettings
}

// Publishing with user names and passwords (FTP, SCM basic auth) is off; azd deploys with Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

@description('Name of the function app.')
output name string = app.name

@description('HTTPS base address of the function app.')
output uri string = 'https://${app.properties.defaultHostName}'
