// Parameters for `azd up`: azd exports its environment (AZURE_ENV_NAME, AZURE_LOCATION,
// AZURE_PRINCIPAL_ID, …) before it compiles this file. The defaults let `bicep build-params` run
// outside azd, as the infra tests do.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'credentials-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param principalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')
param cosmosCapacityMode = readEnvironmentVariable('COSMOS_CAPACITY_MODE', 'Serverless')
param emailDataLocation = readEnvironmentVariable('EMAIL_DATA_LOCATION', 'Europe')
param apiAudience = readEnvironmentVariable('API_AUDIENCE', 'api://credential-functions')
param issuerName = readEnvironmentVariable('ISSUER_NAME', 'Certification Body')
