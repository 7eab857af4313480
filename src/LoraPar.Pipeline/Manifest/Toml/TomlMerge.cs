namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>Deep merge of TOML tables for <c>extends</c>: tables merge key by key, any other value in the child replaces the base's.</summary>
public static class TomlMerge
{
    /// <summary>A new table: <paramref name="baseTable"/> overlaid by <paramref name="child"/>. Neither input is changed.</summary>
    public static TomlTableNode Merge(TomlTableNode baseTable, TomlTableNode child)
    {
        var merged = baseTable.Clone();
        foreach (var entry in child.Entries)
        {
            if (merged.Find(entry.Key)?.Value is TomlTableNode baseSub && entry.Value is TomlTableNode childSub)
                merged.Set(entry with { Value = Merge(baseSub, childSub) });
            else
                merged.Set(entry);
        }
        return merged;
    }
}
