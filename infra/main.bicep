// Everything CredentialFunctions needs in Azure (spec C15), for one azd environment.
//
// Subscription scope, as azd templates do: `azd up` creates the resource group rg-<environment> and
// `azd down` removes it with all it holds, so an environment is one unit from birth to deletion.
// One user-assigned identity runs the app; each role below is granted to it on the one resource it
// needs, and the app settings are built from the modules' outputs: no keys, no connection strings.
targetScope = 'subscription'

@description('Name of the azd environment (AZURE_ENV_NAME): names the resource group, tags every resource and seeds the unique resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of the regional resources; it must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of whoever runs azd (AZURE_PRINCIPAL_ID). It may set the webhook secrets and rotate the signing key in Key Vault. Empty grants nothing.')
param principalId string = ''

@description('Kind of principal principalId is: User for a person, ServicePrincipal for a pipeline.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('Cosmos DB capacity: Serverless costs nothing idle; Autoscale suits steady load.')
@allowed(['Serverless', 'Autoscale'])
param cosmosCapacityMode string = 'Serverless'

@description('Where Communication Services keeps email data at rest, e.g. Europe or United States.')
param emailDataLocation string = 'Europe'

@description('Entra ID tenant whose bearer tokens the API accepts. Defaults to the tenant deployed to.')
param apiTenantId string = tenant().tenantId

@description('Audience the API requires in bearer tokens: the app registration\'s application id URI or client id.')
param apiAudience string

@description('Name of the certification body that issues the credentials: the Open Badges issuer profile\'s name (ISSUER_NAME).')
@minLength(1)
param issuerName string

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var tags = { 'azd-env-name': environmentName }

// Names the application code and the runbooks in README.md ("Deploy to Azure") agree on.
var databaseName = 'credentials'
var paymentsTopicName = 'payments'
var financeSubscriptionName = 'finance'
var credentialsTopicName = 'credentials'
var credentialsSubscriptionName = 'subscribers'
var deploymentContainerName = 'app-package'
var documentsContainerName = 'application-documents'
var signingKeyName = 'open-badges-issuer'
var lmsWebhookSecretName = 'lms-webhook-signing-secret'
var stripeSecretKeySecretName = 'stripe-secret-key'
var stripeWebhookSecretName = 'stripe-webhook-signing-secret'
var auditAnchorSecretName = 'audit-anchor-key'

// Built-in role definition ids: the same in every tenant. Each is named as the portal shows it.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424' // Key Vault Crypto User
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // Key Vault Secrets Officer
  keyVaultCryptoOfficer: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603' // Key Vault Crypto Officer
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350' // Communication and Email Service Owner
}

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: resourceGroup
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: resourceGroup
  params: {
    workspaceName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    appInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    roleAssignments: [
      {
        roleDefinitionId: roles.monitoringMetricsPublisher
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Send telemetry with Entra ID authentication (local auth is off).'
      }
    ]
  }
}

module storage 'modules/storage.bicep' = {
  scope: resourceGroup
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    containerNames: [deploymentContainerName, documentsContainerName]
    roleAssignments: [
      {
        roleDefinitionId: roles.storageBlobDataOwner
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Functions host and Durable leases, the Flex deployment package, application documents.'
      }
      {
        roleDefinitionId: roles.storageQueueDataContributor
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Durable Functions control and work-item queues.'
      }
      {
        roleDefinitionId: roles.storageTableDataContributor
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Durable Functions history and instance tables.'
      }
    ]
  }
}

module cosmos 'modules/cosmos.bicep' = {
  scope: resourceGroup
  params: {
    name: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
    location: location
    tags: tags
    capacityMode: cosmosCapacityMode
    databaseName: databaseName
    dataContributorPrincipalIds: [identity.outputs.principalId]
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  scope: resourceGroup
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    topicName: paymentsTopicName
    subscriptionName: financeSubscriptionName
    credentialsTopicName: credentialsTopicName
    credentialsSubscriptionName: credentialsSubscriptionName
    topicRoleAssignments: [
      {
        roleDefinitionId: roles.serviceBusDataSender
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Publish payment and credential events from the outbox.'
      }
    ]
  }
}

var deployerVaultRoles = empty(principalId)
  ? []
  : [
      {
        roleDefinitionId: roles.keyVaultSecretsOfficer
        principalId: principalId
        principalType: principalType
        description: 'Set and rotate the integrations\' webhook secrets.'
      }
      {
        roleDefinitionId: roles.keyVaultCryptoOfficer
        principalId: principalId
        principalType: principalType
        description: 'Rotate the Open Badges issuer signing key.'
      }
    ]

module keyVault 'modules/key-vault.bicep' = {
  scope: resourceGroup
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    signingKeyName: signingKeyName
    roleAssignments: [
      {
        roleDefinitionId: roles.keyVaultSecretsUser
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Resolve the webhook secrets\' Key Vault references; read the versions of the audit anchor key.'
      }
    ]
    operatorRoleAssignments: deployerVaultRoles
    signingKeyRoleAssignments: [
      {
        roleDefinitionId: roles.keyVaultCryptoUser
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Sign Open Badges credentials and read the public keys to publish them.'
      }
    ]
  }
}

module communication 'modules/communication.bicep' = {
  scope: resourceGroup
  params: {
    communicationServiceName: '${abbrs.communicationServicesCommunicationServices}${resourceToken}'
    emailServiceName: '${abbrs.communicationServicesEmailServices}${resourceToken}'
    dataLocation: emailDataLocation
    tags: tags
    roleAssignments: [
      {
        // The built-in role Microsoft documents for sending email with Entra ID. It is broader
        // than sending; with local auth disabled its ListKeys right yields no usable key.
        roleDefinitionId: roles.communicationAndEmailServiceOwner
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Send reminder, issuance, lapse and decision emails.'
      }
    ]
  }
}

module functionApp 'modules/function-app.bicep' = {
  scope: resourceGroup
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    appTags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    deploymentBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    appSettings: {
      // The Functions host and Durable Functions reach storage as the identity, not with a key.
      AzureWebJobsStorage__accountName: storage.outputs.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      // DefaultAzureCredential in the app's SDK clients picks the user-assigned identity by this.
      AZURE_CLIENT_ID: identity.outputs.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
      Cosmos__AccountEndpoint: cosmos.outputs.endpoint
      Cosmos__DatabaseName: cosmos.outputs.databaseName
      ServiceBus__FullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      ServiceBus__PaymentsTopic: serviceBus.outputs.topicName
      ServiceBus__CredentialsTopic: serviceBus.outputs.credentialsTopicName
      // Every event's CloudEvents source: this deployment's address, as in Links__PublicBaseUrl.
      Events__Source: 'https://${functionAppName}.azurewebsites.net'
      // Publishes what a crash left in an outbox (NCRONTAB with seconds), read by its timer trigger.
      Events__RepairSchedule: '0 */5 * * * *'
      Email__Acs__Endpoint: communication.outputs.endpoint
      Email__SenderAddress: communication.outputs.senderAddress
      // Links in emails start here. The app's own output cannot feed its settings (a cycle), so the
      // host name is the default one Azure gives an app without a unique-hostname scope.
      Links__PublicBaseUrl: 'https://${functionAppName}.azurewebsites.net'
      Issuer__Name: issuerName
      Signing__KeyVaultUri: keyVault.outputs.uri
      Signing__KeyName: keyVault.outputs.signingKeyName
      Documents__BlobServiceUri: storage.outputs.blobEndpoint
      Documents__ContainerName: documentsContainerName
      Access__Authority: '${environment().authentication.loginEndpoint}${apiTenantId}/v2.0'
      Access__Audience: apiAudience
      // The daily renewal reconciliation (NCRONTAB with seconds), read by its timer trigger.
      Renewal__ReconcileSchedule: '0 30 2 * * *'
      // Resolved by the platform with the identity (keyVaultReferenceIdentity). No version in the
      // URI, so a new secret version is picked up without a redeployment.
      Webhooks__Lms__SigningSecret: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${lmsWebhookSecretName}/)'
      Stripe__SecretKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${stripeSecretKeySecretName}/)'
      Stripe__WebhookSecret: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${stripeWebhookSecretName}/)'
      // Read by the app itself with the identity, not as a reference: every version of the secret is
      // an anchor key (its version id the key id), so anchors made before a rotation still check.
      AuditAnchors__KeyVaultUri: keyVault.outputs.uri
      AuditAnchors__SecretName: auditAnchorSecretName
    }
  }
}

// azd stores these in the environment (.azure/<env>/.env); the runbooks in README.md ("Deploy to Azure") use them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_SIGNING_KEY_NAME string = keyVault.outputs.signingKeyName
output AZURE_KEY_VAULT_LMS_WEBHOOK_SECRET_NAME string = lmsWebhookSecretName
output AZURE_KEY_VAULT_STRIPE_SECRET_KEY_NAME string = stripeSecretKeySecretName
output AZURE_KEY_VAULT_STRIPE_WEBHOOK_SECRET_NAME string = stripeWebhookSecretName
output AZURE_KEY_VAULT_AUDIT_ANCHOR_SECRET_NAME string = auditAnchorSecretName
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_SERVICE_BUS_PAYMENTS_TOPIC string = serviceBus.outputs.topicName
output AZURE_SERVICE_BUS_FINANCE_SUBSCRIPTION string = serviceBus.outputs.subscriptionName
output AZURE_SERVICE_BUS_CREDENTIALS_TOPIC string = serviceBus.outputs.credentialsTopicName
