using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

internal static class ContainerLayoutExtensions
{
    public static ContainerProperties ToContainerProperties(this ContainerLayout layout)
    {
        var properties = new ContainerProperties(layout.Name, layout.PartitionKeyPath);
        var policy = properties.IndexingPolicy;
        policy.IndexingMode = IndexingMode.Consistent;
        foreach (var path in layout.IncludedPaths) policy.IncludedPaths.Add(new IncludedPath { Path = path });
        foreach (var path in layout.ExcludedPaths) policy.ExcludedPaths.Add(new ExcludedPath { Path = path });
        foreach (var composite in layout.CompositeIndexes)
            policy.CompositeIndexes.Add(new System.Collections.ObjectModel.Collection<CompositePath>(
                composite.Paths.Select(p => new CompositePath { Path = p.Path, Order = p.Descending ? CompositePathSortOrder.Descending : CompositePathSortOrder.Ascending }).ToList()));
        return properties;
    }
}
