// Types shared by the modules, so every module grants roles the same way.

@export()
@description('A built-in Azure RBAC role granted to one principal, scoped to the resource of the module that receives it.')
type roleAssignment = {
  @description('The built-in role definition id (a GUID). Callers name the role in a comment next to it.')
  roleDefinitionId: string

  @description('Object id of the principal that receives the role.')
  principalId: string

  @description('ServicePrincipal for managed identities: stating it lets ARM skip the directory lookup that fails for an identity created seconds earlier.')
  principalType: 'ServicePrincipal' | 'User' | 'Group'

  @description('Why the principal needs the role; shown on the assignment in the portal.')
  description: string
}

@export()
@description('Tags as name → value, e.g. azd-env-name.')
type resourceTags = { *: string }
