namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// Deep merge of TOML tables for <c>extends</c>: tables merge key by key, any other value in the child replaces the base's.
/// TOML has no null, so a child drops what it inherits with two reserved keys: <c>replace = true</c> in a table makes that
/// table replace the base's whole (<c>[data]</c> then starts from the defaults), and <c>unset = ["key", "table.key"]</c> in a
/// table removes those keys (dotted paths below that table) from the base before the merge. Neither key reaches the sections.
/// </summary>
public static class TomlMerge
{
    /// <summary>The key that makes a child table replace the base's instead of merging into it.</summary>
    public const string ReplaceKey = "replace";

    /// <summary>The key that lists inherited keys to remove.</summary>
    public const string UnsetKey = "unset";

    /// <summary>A new table: <paramref name="baseTable"/> overlaid by <paramref name="child"/>. Neither input is changed.</summary>
    public static TomlTableNode Merge(TomlTableNode baseTable, TomlTableNode child, ManifestDiagnostics diagnostics, string prefix = "")
    {
        var merged = baseTable.Clone();
        if (child.Find(UnsetKey) is { } unset) Unset(merged, unset, diagnostics, prefix);
        foreach (var entry in child.Entries.Where(e => e.Key != UnsetKey && e.Key != ReplaceKey))
        {
            var path = prefix.Length == 0 ? entry.Key : $"{prefix}.{entry.Key}";
            if (merged.Find(entry.Key)?.Value is TomlTableNode baseSub && entry.Value is TomlTableNode childSub && !Replaces(childSub, diagnostics, path))
                merged.Set(entry with { Value = Merge(baseSub, childSub, diagnostics, path) });
            else
                merged.Set(entry with { Value = WithoutOverrides(entry.Value, diagnostics, path) });
        }
        return merged;
    }

    /// <summary>
    /// Errors for <c>replace</c> and <c>unset</c> keys in a manifest that extends nothing (they only act on inherited values);
    /// called for the root file of a chain.
    /// </summary>
    public static void RejectOverrides(TomlTableNode table, ManifestDiagnostics diagnostics, string prefix = "")
    {
        foreach (var entry in table.Entries)
        {
            var path = prefix.Length == 0 ? entry.Key : $"{prefix}.{entry.Key}";
            if (entry.Key is ReplaceKey or UnsetKey)
                diagnostics.Error(entry.KeyLocation, path, $"'{entry.Key}' drops inherited values, but this manifest extends no base; remove it");
            else if (entry.Value is TomlTableNode sub)
                RejectOverrides(sub, diagnostics, path);
        }
    }

    private static bool Replaces(TomlTableNode table, ManifestDiagnostics diagnostics, string path)
    {
        if (table.Find(ReplaceKey) is not { } entry) return false;
        if (entry.Value is TomlScalar { Value: bool replace }) return replace;
        diagnostics.Error(entry.Value.Location, $"{path}.{ReplaceKey}", $"expected a boolean (true: this table replaces the base's), got {entry.Value.TypeName}");
        return false;
    }

    /// <summary>A child value with its (now meaningless) override keys removed; a table that has no base counterpart keeps the rest.</summary>
    private static TomlNode WithoutOverrides(TomlNode node, ManifestDiagnostics diagnostics, string path)
    {
        if (node is not TomlTableNode table) return node;
        Replaces(table, diagnostics, path);
        return Merge(new TomlTableNode(table.Location), table, diagnostics, path);
    }

    private static void Unset(TomlTableNode merged, TomlEntry unset, ManifestDiagnostics diagnostics, string prefix)
    {
        var key = prefix.Length == 0 ? UnsetKey : $"{prefix}.{UnsetKey}";
        if (unset.Value is not TomlArrayNode list)
        {
            diagnostics.Error(unset.Value.Location, key, $"expected an array of key names (e.g. [\"synthetic_ranges\", \"sft.lr\"]), got {unset.Value.TypeName}");
            return;
        }
        foreach (var item in list.Items)
        {
            if (item is not TomlScalar { Value: string name } || name.Length == 0)
            {
                diagnostics.Error(item.Location, key, $"expected a key name, got {item.TypeName}");
                continue;
            }
            var parts = name.Split('.');
            var table = merged;
            foreach (var part in parts[..^1]) table = table?.Find(part)?.Value as TomlTableNode;
            if (table?.Find(parts[^1]) is null)
                diagnostics.Error(item.Location, key, $"'{name}' is not set by the base manifest, so there is nothing to unset");
            else
                table.Remove(parts[^1]);
        }
    }
}
