using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Access;
using CredentialFunctions.Adapters.Anchors;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Documents;
using CredentialFunctions.Adapters.Durable;
using CredentialFunctions.Adapters.Email;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Adapters.Hr;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.Adapters.ServiceBus;
using CredentialFunctions.Adapters.Signing;
using CredentialFunctions.Adapters.Webhooks;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Application.Badges;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Imports;
using CredentialFunctions.Application.Hr;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Learners;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Programs;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.Retention;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Application.StatusLists;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Application.Xapi;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CredentialFunctions.App;

/// <summary>
/// The one composition root: the Functions app, the local host and the tests all call this, so the
/// three can never be wired differently. Only what cannot run locally is swapped, by configuration.
/// </summary>
public static class CompositionRoot
{
    public static IServiceCollection AddCredentialServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CosmosOptions>().Bind(configuration.GetSection(CosmosOptions.Section));
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.Section));
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        services.AddOptions<LinkOptions>().Bind(configuration.GetSection(LinkOptions.Section));
        services.AddOptions<RateLimits.Options>().Bind(configuration.GetSection(RateLimits.Options.Section));
        services.AddOptions<ServiceBusOptions>().Bind(configuration.GetSection(ServiceBusOptions.Section));
        services.AddOptions<EventOptions>().Bind(configuration.GetSection(EventOptions.Section));
        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.Section));
        services.AddOptions<DocumentOptions>().Bind(configuration.GetSection(DocumentOptions.Section));
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.Section));
        services.AddOptions<IssuerOptions>().Bind(configuration.GetSection(IssuerOptions.Section));
        services.AddOptions<AuditAnchorOptions>().Bind(configuration.GetSection(AuditAnchorOptions.Section));
        services.AddOptions<ScimOptions>().Bind(configuration.GetSection(ScimOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIdSource, RandomIdSource>();
        // The user-assigned identity's client id comes from AZURE_CLIENT_ID, which DefaultAzureCredential reads.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());

        services.AddSingleton(sp => CosmosClientFactory.Create(sp.GetRequiredService<IOptions<CosmosOptions>>().Value, sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => new CredentialDatabase(sp.GetRequiredService<Microsoft.Azure.Cosmos.CosmosClient>(), sp.GetRequiredService<IOptions<CosmosOptions>>().Value));
        // The keys that seal every credential write and check every verification. TryAdd: a test rotates them.
        services.TryAddSingleton(sp => AnchorKeys.Create(sp.GetRequiredService<IOptions<AuditAnchorOptions>>().Value, sp.GetRequiredService<TokenCredential>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RecordAnchoring>();
        // TryAdd: a test may wrap a store (to count its reads, say) and the composition keeps the rest.
        // Every credential write keeps the compliance counts beside it (Application/Reports).
        services.TryAddSingleton<ICredentialStore>(sp => new CountedCredentialStore(
            ActivatorUtilities.CreateInstance<CosmosCredentialStore>(sp), sp.GetRequiredService<ComplianceProjection>()));
        services.TryAddSingleton<IProgramStore, CosmosProgramStore>();
        services.TryAddSingleton<IReceiptStore, CosmosReceiptStore>();
        services.TryAddSingleton<IHoldingStore, CosmosHoldingStore>();
        services.TryAddSingleton<IRenewalWindowRecords, CosmosRenewalWindowRecords>();
        services.TryAddSingleton<ISupervisionStore, CosmosSupervisionStore>();
        services.TryAddSingleton<IStatusListStore, CosmosStatusListStore>();
        services.TryAddSingleton<IStatusListRecords, CosmosStatusListRecords>();
        services.TryAddSingleton<IRandomSource, CryptoRandomSource>();
        services.TryAddSingleton<IApplicationStore, CosmosApplicationStore>();
        services.TryAddSingleton<ICredentialSearch, CosmosCredentialSearch>();
        services.TryAddSingleton<IAccessLog, CosmosAccessLog>();
        services.TryAddSingleton<IRetentionRecords, CosmosRetentionRecords>();
        services.TryAddSingleton<ILegalHoldStore, CosmosLegalHoldStore>();
        services.TryAddSingleton<IPurgeLog, CosmosPurgeLog>();
        services.TryAddSingleton<IActivityClaimStore, CosmosActivityClaimStore>();
        services.TryAddSingleton<IDirectoryStore, CosmosDirectoryStore>();
        services.TryAddSingleton<IComplianceTallies, CosmosComplianceTallies>();
        services.AddSingleton(sp => new BlobApplicationDocuments(
            BlobApplicationDocuments.Container(sp.GetRequiredService<IOptions<DocumentOptions>>().Value, sp.GetRequiredService<TokenCredential>()),
            sp.GetRequiredService<IIdSource>()));
        services.TryAddSingleton<IApplicationDocuments>(sp => sp.GetRequiredService<BlobApplicationDocuments>());

        services.AddSingleton(sp => EmailTransport.Create(sp.GetRequiredService<IOptions<EmailOptions>>().Value, sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => new NotificationTemplates(sp.GetRequiredService<IOptions<LinkOptions>>().Value.PublicBaseUri()));
        services.AddSingleton<INotificationSender, EmailNotificationSender>();
        services.AddSingleton<ApplicationEmails>();
        // The outbox: one dispatcher over a transport per channel (email now).
        services.AddSingleton<IOutboxTransport, EmailOutbox>();
        services.AddSingleton(typeof(OutboxDispatcher<>));
        // Events: one Service Bus client per process, as the app identity (TryAdd: tests give a Moq'd one);
        // without a namespace, the local event log or a transport that says what to set.
        services.TryAddSingleton(sp => new ServiceBusClient(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value.FullyQualifiedNamespace, sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => EventTransport.Create(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value, sp.GetRequiredService<IOptions<EventOptions>>().Value,
            sp.GetRequiredService<ServiceBusClient>));
        services.AddSingleton(typeof(EventPublisher<>));
        // The event repair's sources, one registration per kind of document with an outbox.
        services.AddSingleton<IUnsentEventSource>(sp => new RecordEventSource<Credential>("credential",
            new CosmosUnsentEvents<Credential>(sp.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.Credentials)),
            sp.GetRequiredService<ICredentialStore>(), sp.GetRequiredService<EventPublisher<Credential>>()));
        services.AddSingleton<IUnsentEventSource>(sp => new RecordEventSource<CertificationApplication>("application",
            new CosmosUnsentEvents<CertificationApplication>(sp.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.Applications)),
            sp.GetRequiredService<IApplicationStore>(), sp.GetRequiredService<EventPublisher<CertificationApplication>>()));
        services.AddSingleton<EventRepair>();

        // Payments: Stripe when its keys are set, otherwise a provider that refuses saying which
        // settings are missing. Transient, so each gets an HttpClient from the factory's pool; a test
        // points the named client at a handler that answers like Stripe's API.
        services.AddHttpClient(StripePaymentProvider.HttpClientName);
        services.TryAddTransient<IPaymentProvider>(sp => PaymentProviders.Create(
            sp.GetRequiredService<IOptions<StripeOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(StripePaymentProvider.HttpClientName),
            sp.GetRequiredService<TimeProvider>()));

        // The issuer: its keys (Key Vault or a development key), the JWT signer over them, its profile.
        services.AddSingleton(sp => IssuerKeys.Create(sp.GetRequiredService<IOptions<SigningOptions>>().Value, sp.GetRequiredService<TokenCredential>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<VcJwtSigner>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IssuerOptions>>().Value.ProfileAt(sp.GetRequiredService<IOptions<LinkOptions>>().Value.PublicBaseUri()));
        // A badge's credentialStatus: its revocation and suspension entries in the status lists.
        services.AddSingleton(sp => new StatusListLinks(sp.GetRequiredService<IOptions<LinkOptions>>().Value.PublicBaseUri()));
        services.AddSingleton<ICredentialStatusEntries, StatusListEntriesOfBadges>();
        services.AddSingleton<StatusListCredentials>();
        services.AddSingleton(sp => new OpenBadges(sp.GetRequiredService<VerificationService>(), sp.GetRequiredService<IssuerProfile>(), sp.GetRequiredService<VcJwtSigner>(),
            sp.GetServices<ICredentialStatusEntries>(), sp.GetRequiredService<IOptions<LinkOptions>>().Value.PublicBaseUri()));

        services.AddSingleton<CredentialUpdater>();
        services.AddSingleton<VersionedUpdater<Credential>>(sp => sp.GetRequiredService<CredentialUpdater>());
        services.AddSingleton<ActivityClaims>();
        services.AddSingleton<ProgramService>();
        services.AddScoped<FirstCredentials>();
        services.AddScoped<HoldingReinstatement>();
        services.AddSingleton<VerificationService>();
        services.AddSingleton(sp => new CredentialLinks(sp.GetRequiredService<IOptions<LinkOptions>>().Value.PublicBaseUri()));
        services.AddSingleton<PrintedCredentials>();
        services.AddSingleton<CredentialRecords>();
        services.AddSingleton<CredentialSearchService>();
        services.AddSingleton<SupervisionService>();
        services.AddSingleton<StatusListPublisher>();
        services.AddSingleton<StatusListReconciliation>();
        services.AddSingleton<LegalHolds>();
        services.AddSingleton<RetentionPurge>();
        services.AddSingleton<RetainedVerification>();
        services.AddSingleton<ComplianceProjection>();
        services.AddSingleton<ComplianceReports>();
        services.AddSingleton<ComplianceRecount>();
        // The window process (IRenewalWindows) lives per invocation, around the Durable client its host
        // sets on the accessor; the use cases that tell it are scoped with it. TryAdd: tests of the
        // functions alone record what the windows are told instead.
        services.AddScoped<DurableClientAccessor>();
        services.TryAddScoped<IRenewalWindows>(sp => new DurableRenewalWindows(sp.GetRequiredService<DurableClientAccessor>().Client, sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<IssuanceService>();
        // xAPI statements an LRS forwards issue through the same service as the LMS webhook.
        services.AddSingleton(sp => new XapiLearnerDirectory(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Xapi.LmsAccountHomePage));
        services.AddScoped<XapiForwarding>();
        services.AddSingleton(sp => new VersionedUpdater<CertificationApplication>(sp.GetRequiredService<IApplicationStore>(), "Application"));
        services.AddScoped<ApplicationService>();
        services.AddScoped<ApplicationResults>();
        services.AddScoped<ApplicationDocumentService>();
        services.AddSingleton<PaymentLedger>();
        services.AddScoped<IssuanceReconciliation>();
        services.AddScoped<CredentialLifecycle>();
        services.AddScoped<RenewalReconciliation>();
        // HR over SCIM: the learner directory's Users, and what each means for the learner's records.
        services.AddSingleton<LearnerLinking>();
        services.AddScoped<EmploymentSync>();
        services.AddScoped<HrProvisioning>();
        services.AddSingleton(sp => new ScimDocuments(new Uri(sp.GetRequiredService<IOptions<LinkOptions>>().Value.PublicBaseUri(), "api/scim/v2/")));
        // The renewal window's I/O; its messages leave through the outbox above.
        services.AddSingleton<RenewalWindowSteps>();

        // Cohort runs (bulk issuance): the run store, the orchestration started with the invocation's
        // client, and one row handler per run kind.
        services.TryAddSingleton<ICohortRunStore, CosmosCohortRunStore>();
        services.TryAddSingleton<IIssuanceLedgerStore, CosmosIssuanceLedgerStore>();
        services.AddScoped<IssuanceLedgerSettlement>();
        services.AddScoped<BulkFirstIssuance>();
        services.TryAddScoped<ICohortRunProcess>(sp => new DurableCohortRuns(sp.GetRequiredService<DurableClientAccessor>().Client));
        services.AddScoped<ICohortRowHandler, CohortIssuance>();
        services.AddScoped<ICohortRowHandler, CohortImport>();
        services.AddScoped<CredentialImport>();
        services.AddScoped<CohortIntake>();
        services.AddScoped<CohortBatchRunner>();
        services.AddSingleton<CohortRuns>();

        services.AddSingleton<BearerTokenAuthenticator>();
        services.AddSingleton<RateLimits>();
        services.AddSingleton<HttpFunctionPipeline>();
        foreach (var type in HttpFunctionCatalog.All.Select(f => f.Method.DeclaringType!).Distinct()) services.TryAddScoped(type);
        return services;
    }
}
