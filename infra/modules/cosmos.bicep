// The Cosmos DB (NoSQL) account, the credentials database and its containers. The containers,
// partition keys and indexing policies mirror CosmosLayout.cs (functions/CredentialFunctions.Adapters/
// Cosmos), which documents why each is keyed as it is; a test in CredentialFunctions.Infra.Tests
// compiles this file and fails if the two disagree. Keys are disabled: the app reads and writes with
// its managed identity through the built-in Data Contributor role.

import { resourceTags } from 'types.bicep'

@description('Name of the Cosmos DB account (3-44 lowercase letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(44)
param name string

@description('Azure region of the account.')
param location string

@description('Tags applied to the account.')
param tags resourceTags

@description('Serverless bills per request and costs nothing idle; Autoscale bills provisioned RU/s from 10% of the maximum and suits steady load. Changing it later means a new account.')
param capacityMode 'Serverless' | 'Autoscale'

@description('Autoscale only: the database-wide RU/s ceiling, shared by all containers.')
@minValue(1000)
param autoscaleMaxThroughput int = 1000

@description('Name of the database.')
param databaseName string

@description('Principal id of the app: the built-in Data Contributor role on every container but the purge log, and on the purge log a role that can only create and read.')
param appPrincipalId string

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: capacityMode == 'Serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
    options: capacityMode == 'Autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

// CosmosLayout.Programs: current version and past versions share the program's partition.
resource programs 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'programs'
  properties: {
    resource: {
      id: 'programs'
      partitionKey: { paths: ['/programId'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: []
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.Credentials: verification is a point read by certificate id; the audit trail,
// deliveries and outbox ride in the document but are never queried, so they are not indexed.
resource credentials 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'credentials'
  properties: {
    resource: {
      id: 'credentials'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/auditTrail/*' }, { path: '/deliveries/*' }, { path: '/outbox/*' }]
        compositeIndexes: [
          [{ path: '/holder/learnerId', order: 'ascending' }, { path: '/issuedAt', order: 'descending' }]
          [{ path: '/program/programId', order: 'ascending' }, { path: '/expiresAt', order: 'ascending' }]
          // Search: each sort key with the id that breaks its ties, in both directions (the local server needs the exact one).
          [{ path: '/search/issuedAt', order: 'ascending' }, { path: '/id', order: 'ascending' }]
          [{ path: '/search/issuedAt', order: 'descending' }, { path: '/id', order: 'descending' }]
          [{ path: '/search/expiresAt', order: 'ascending' }, { path: '/id', order: 'ascending' }]
          [{ path: '/search/expiresAt', order: 'descending' }, { path: '/id', order: 'descending' }]
          [{ path: '/search/completedAt', order: 'ascending' }, { path: '/id', order: 'ascending' }]
          [{ path: '/search/completedAt', order: 'descending' }, { path: '/id', order: 'descending' }]
          [{ path: '/search/legalName', order: 'ascending' }, { path: '/id', order: 'ascending' }]
          [{ path: '/search/legalName', order: 'descending' }, { path: '/id', order: 'descending' }]
        ]
      }
    }
  }
}

// CosmosLayout.Receipts: created and point-read by idempotency key; only the certificate id a
// completion receipt names is indexed, for the retention purge to find a credential's receipts.
resource receipts 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'receipts'
  properties: {
    resource: {
      id: 'receipts'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/receipt/certificateId/?' }]
        excludedPaths: [{ path: '/*' }]
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.Holdings: one per learner and program, created or ETag-replaced to decide each pass;
// the reconciliation queries pendingSince, and the pending completion it carries is never queried.
resource holdings 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'holdings'
  properties: {
    resource: {
      id: 'holdings'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/pending/*' }]
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.Learners: who supervises each learner, a point read by learner id when a supervisor
// signs off; the history of assignments is kept for the auditor and never queried.
resource learners 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'learners'
  properties: {
    resource: {
      id: 'learners'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/history/*' }]
        compositeIndexes: []
      }
    }
  }
}

resource statusLists 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'statuslists'
  properties: {
    resource: {
      id: 'statuslists'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: []
        excludedPaths: [{ path: '/*' }]
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.Applications: one document per application, each transition an ETag-guarded write
// with its history and outbox inside; listed by candidate and by program and status, newest first.
resource applications 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'applications'
  properties: {
    resource: {
      id: 'applications'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/history/*' }, { path: '/outbox/*' }, { path: '/documents/*' }, { path: '/attempts/*' }]
        compositeIndexes: [
          [{ path: '/candidate/subject', order: 'ascending' }, { path: '/submittedAt', order: 'descending' }]
          [{ path: '/programId', order: 'ascending' }, { path: '/status', order: 'ascending' }, { path: '/submittedAt', order: 'descending' }]
          [{ path: '/status', order: 'ascending' }, { path: '/submittedAt', order: 'descending' }]
        ]
      }
    }
  }
}

// CosmosLayout.AccessLog: who read which record, search, export or report, and when; only ever
// created, keyed by the reader so a supervisor's "what did this auditor read" is one partition.
resource accessLog 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'accessLog'
  properties: {
    resource: {
      id: 'accessLog'
      partitionKey: { paths: ['/callerId'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: []
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.CohortRuns: a cohort run (bulk issuance, import), its rows in batches and each
// batch's result in the run's partition; the rows and failures are never queried.
resource cohortRuns 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'cohortRuns'
  properties: {
    resource: {
      id: 'cohortRuns'
      partitionKey: { paths: ['/runId'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/rows/*' }, { path: '/failures/*' }]
        compositeIndexes: []
      }
    }
  }
}


// CosmosLayout.LegalHolds: one record per learner or program, point-read by the retention sweep;
// the history of placings and liftings is kept for the auditor and never queried.
resource legalHolds 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'legalHolds'
  properties: {
    resource: {
      id: 'legalHolds'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/history/*' }]
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.PurgeLog: one entry per purged credential, only ever created (see the role below);
// verification point-reads it by certificate id, auditors list it latest first.
resource purgeLog 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'purgeLog'
  properties: {
    resource: {
      id: 'purgeLog'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: []
        compositeIndexes: [
          [{ path: '/purgedAt', order: 'descending' }, { path: '/id', order: 'descending' }]
        ]
      }
    }
  }
}

// CosmosLayout.ActivityClaims: which program each xAPI activity IRI completes, one document per IRI,
// created or ETag-replaced so two programs never both claim one; point reads only, nothing indexed.
resource activityClaims 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'activities'
  properties: {
    resource: {
      id: 'activities'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: []
        excludedPaths: [{ path: '/*' }]
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.Directory: the learner directory, one document per SCIM User (id = pk); userName and
// externalId are indexed for the provisioning client's lookups, the User resource is not.
resource directory 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'directory'
  properties: {
    resource: {
      id: 'directory'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/resource/*' }]
        compositeIndexes: []
      }
    }
  }
}

// CosmosLayout.ComplianceTallies: the maintained counts of the compliance reports, one per completion
// day; a report queries the days of its range, the groups' counts are never queried.
resource complianceTallies 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'complianceTallies'
  properties: {
    resource: {
      id: 'complianceTallies'
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/groups/*' }]
        compositeIndexes: []
      }
    }
  }
}

// Cosmos DB Built-in Data Contributor: a data-plane role, so it is a Cosmos SQL role assignment and
// not an Azure RBAC one.
resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions@2025-04-15' existing = {
  parent: account
  name: '00000000-0000-0000-0000-000000000002'
}

// Data-plane roles only add up (there is no deny), so the app's Data Contributor is granted container
// by container: every container but the purge log. A new container joins this list, or the app cannot
// reach it in Azure (a test checks the list against CosmosLayout).
var readWriteContainers = [
  programs.name
  credentials.name
  receipts.name
  holdings.name
  learners.name
  statusLists.name
  applications.name
  accessLog.name
  cohortRuns.name
  activityClaims.name
  directory.name
  complianceTallies.name
  legalHolds.name
]

// Named by role and container alone (the app is the one principal): a name computed from a runtime
// principal id would blind What-If.
resource dataContributorAssignments 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = [
  for container in readWriteContainers: {
    parent: account
    name: guid(account.id, dataContributor.id, container)
    properties: {
      roleDefinitionId: dataContributor.id
      principalId: appPrincipalId
      // Cosmos scopes are written in their data-plane form (…/dbs/<database>/colls/<container>), not as
      // the ARM id of the container resource.
      scope: '${account.id}/dbs/${database.name}/colls/${container}'
    }
  }
]

// The purge log is append-only in Azure: on it the app may create, read and query items, and no
// role anyone holds lets a data-plane caller replace, upsert or delete one.
resource appendOnly 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions@2025-04-15' = {
  parent: account
  name: guid(account.id, 'append-only-data-writer')
  properties: {
    roleName: 'Append-only Data Writer'
    type: 'CustomRole'
    assignableScopes: ['${account.id}/dbs/${database.name}']
    permissions: [
      {
        dataActions: [
          'Microsoft.DocumentDB/databaseAccounts/readMetadata'
          'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/create'
          'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/read'
          'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/executeQuery'
          'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/readChangeFeed'
        ]
      }
    ]
  }
}

resource purgeLogAppender 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: account
  name: guid(account.id, appendOnly.id, purgeLog.name)
  properties: {
    roleDefinitionId: appendOnly.id
    principalId: appPrincipalId
    scope: '${account.id}/dbs/${database.name}/colls/${purgeLog.name}'
  }
}

@description('Document endpoint, for Cosmos__AccountEndpoint.')
output endpoint string = account.properties.documentEndpoint

@description('Name of the database, for Cosmos__DatabaseName.')
output databaseName string = database.name
