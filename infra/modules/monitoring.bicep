// Log Analytics holds the telemetry; Application Insights is the app's view of it. Local
// (instrumentation-key) ingestion is off: the app authenticates with its managed identity
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) and needs Monitoring Metrics Publisher here.

import { resourceTags, roleAssignment } from 'types.bicep'

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Azure region of both resources.')
param location string

@description('Tags applied to both resources.')
param tags resourceTags

@description('Days the workspace keeps data. 30 is included in the ingestion price; more is billed.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Roles granted on the Application Insights component.')
param roleAssignments roleAssignment[] = []

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: { disableLocalAuth: true }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

resource appInsightsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in roleAssignments: {
    name: guid(appInsights.id, role.principalId, role.roleDefinitionId)
    scope: appInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleDefinitionId)
      principalId: role.principalId
      principalType: role.principalType
      description: role.description
    }
  }
]

@description('Where telemetry goes. Not a secret: with local auth disabled it does not authorize ingestion on its own.')
output appInsightsConnectionString string = appInsights.properties.ConnectionString
