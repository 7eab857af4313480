namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// Reads a manifest file and resolves its <c>extends = "base.toml"</c> chain (paths relative to the extending file) into one
/// merged table (<see cref="TomlMerge"/>: <c>replace</c> and <c>unset</c> drop inherited values). Missing bases and cycles are
/// manifest errors at the <c>extends</c> key.
/// </summary>
public static class ManifestSource
{
    /// <summary>The top-level key that names a base manifest.</summary>
    public const string ExtendsKey = "extends";

    /// <summary>
    /// The merged tree, or null when a file is missing or does not parse (errors recorded). <paramref name="directories"/>
    /// receives each file's display name → absolute folder, so relative paths resolve against the file that wrote them.
    /// </summary>
    public static TomlTableNode? Load(string path, string displayName, ManifestDiagnostics diagnostics, IDictionary<string, string> directories) =>
        Load(Path.GetFullPath(path), displayName, diagnostics, directories, [], null);

    private static TomlTableNode? Load(string fullPath, string displayName, ManifestDiagnostics diagnostics,
        IDictionary<string, string> directories, HashSet<string> chain, SourceLocation? referencedFrom)
    {
        directories[displayName] = Path.GetDirectoryName(fullPath)!;
        var tree = TomlDocumentReader.ReadFile(fullPath, displayName, diagnostics, referencedFrom);
        if (tree is null) return null;
        if (tree.Find(ExtendsKey) is not { } extends)
        {
            TomlMerge.RejectOverrides(tree, diagnostics);
            return tree;
        }
        tree.Remove(ExtendsKey);
        if (extends.Value is not TomlScalar { Value: string relative })
        {
            diagnostics.Error(extends.KeyLocation, "extends", $"expected a string (a path to a base manifest), got {extends.Value.TypeName}");
            return tree;
        }
        if (relative.Length == 0 || relative.Contains('\0'))
        {
            diagnostics.Error(extends.Value.Location, "extends", relative.Length == 0 ? "the path is empty" : "a path cannot hold a NUL character");
            return tree;
        }
        var basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fullPath)!, relative));
        if (!chain.Add(fullPath) || chain.Contains(basePath))
        {
            diagnostics.Error(extends.Value.Location, "extends", $"'{relative}' extends itself through a cycle; remove one 'extends'");
            return tree;
        }
        var baseDisplay = Path.Combine(Path.GetDirectoryName(displayName) ?? "", relative);
        var baseTree = Load(basePath, Normalize(baseDisplay), diagnostics, directories, chain, extends.Value.Location);
        return baseTree is null ? null : TomlMerge.Merge(baseTree, tree, diagnostics);
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part == "." || part.Length == 0) continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return path.StartsWith('/') ? "/" + joined : joined;
    }
}
