namespace LoraPar.Pipeline.Tests.Stages.Sources;

/// <summary>
/// Compares the current stage pins with the pinned ones. A stage whose sources moved while its <c>Version</c> stayed is
/// reported with the files that changed and the version to bump; a stage whose version moved asks to re-pin; stages
/// without a source set or without a pin, and pins of stages no longer registered, are reported too.
/// </summary>
internal static class StageSourceCheck
{
    /// <summary>The environment variable that makes the test rewrite the pin file instead of checking it.</summary>
    public const string RepinVariable = "LORAPAR_REPIN";

    /// <summary>The command that re-pins.</summary>
    public const string RepinCommand = RepinVariable + "=1 dotnet test tests/LoraPar.Pipeline.Tests --filter FullyQualifiedName~StageSources";

    /// <summary>One line per problem (empty when the pins hold); <paramref name="typeNames"/> maps kind → stage class name.</summary>
    public static IReadOnlyList<string> Problems(StageSourcePin pinned, StageSourcePin current, IReadOnlyDictionary<string, string> typeNames)
    {
        var problems = new List<string>();
        foreach (var (kind, now) in current.Stages)
        {
            var type = typeNames[kind];
            if (now.Files.Count == 0)
                problems.Add($"stage '{kind}' has no source set: no file under src/ (outside the engine and the manifest) declares {type}.");
            else if (!pinned.Stages.TryGetValue(kind, out var then))
                problems.Add($"stage '{kind}' is not pinned: re-pin with {RepinCommand}");
            else if (then.Version != now.Version)
                problems.Add($"stage '{kind}' Version changed {then.Version} → {now.Version}: re-pin with {RepinCommand}");
            else if (then.Digest != now.Digest)
                problems.Add($"stage '{kind}' code changed (files {string.Join(", ", Changed(pinned, current, now))}) but its Version is still " +
                    $"{now.Version}: bump {type}.Version and re-pin with {RepinCommand} " +
                    "(re-pin without a bump only when the change cannot alter what the stage computes).");
        }
        foreach (var kind in pinned.Stages.Keys.Where(k => !current.Stages.ContainsKey(k)))
            problems.Add($"stage '{kind}' is pinned but not registered: re-pin with {RepinCommand}");
        return problems;
    }

    /// <summary>The files of <paramref name="stage"/> added, edited or removed since the pin.</summary>
    private static IEnumerable<string> Changed(StageSourcePin pinned, StageSourcePin current, StagePin stage)
    {
        var changed = stage.Files.Where(f => pinned.FileDigests.GetValueOrDefault(f) != current.FileDigests[f])
            .Select(f => pinned.FileDigests.ContainsKey(f) ? f : f + " (new)");
        var gone = pinned.FileDigests.Keys.Where(f => !current.FileDigests.ContainsKey(f)).Select(f => f + " (gone since the pin)");
        var names = changed.Concat(gone).ToList();
        return names.Count > 0 ? names : ["the set of files it reaches"];
    }
}
