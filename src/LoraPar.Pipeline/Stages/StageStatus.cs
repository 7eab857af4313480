using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Pipeline.Hashing;

namespace LoraPar.Pipeline.Stages;

/// <summary>One stage of one run: fresh or stale, and why.</summary>
/// <param name="Variant">The run.</param>
/// <param name="Kind">The stage.</param>
/// <param name="Key">Its current key.</param>
/// <param name="Fresh">Whether its artifact is complete (a run would skip it).</param>
/// <param name="Reasons">Why it is stale: the artifact problem, then what changed since the last recorded run.</param>
public sealed record StageStatus(string Variant, string Kind, string Key, bool Fresh, IReadOnlyList<string> Reasons);

/// <summary>Explains each planned stage's state against the artifacts and the last recorded run (<see cref="RunPointers"/>).</summary>
public static class StageStatusExplainer
{
    /// <summary>Status of every stage of every run of <paramref name="plan"/>.</summary>
    public static IReadOnlyList<StageStatus> Explain(PipelinePlan plan, ArtifactStore store)
    {
        var pointers = new RunPointers(store.RunsDirectory);
        var result = new List<StageStatus>();
        foreach (var variant in plan.Variants)
        {
            foreach (var node in plan.NodesOf(variant.Name))
            {
                var check = store.Check(node.Kind, node.Key);
                if (check.IsComplete)
                {
                    result.Add(new StageStatus(variant.Name, node.Kind, node.Key, true, []));
                    continue;
                }
                var reasons = new List<string> { check.Detail };
                var previous = pointers.Read(plan.Manifest.Name, variant.Name, node.Kind);
                if (previous is null) reasons.Add("never run for this manifest");
                else if (previous.Key != node.Key) reasons.AddRange(Changes(previous, node));
                result.Add(new StageStatus(variant.Name, node.Kind, node.Key, false, reasons));
            }
        }
        store.Hashes.Save();
        return result;
    }

    /// <summary>What differs between a recorded run of a stage and its current plan.</summary>
    public static IEnumerable<string> Changes(StageRecord previous, PlannedStage node)
    {
        if (previous.Version != node.Stage.Version) yield return $"stage version {previous.Version} → {node.Stage.Version}";
        var before = Flatten(previous.Settings);
        var after = Flatten(node.Settings);
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var (old, now) = (before.GetValueOrDefault(key), after.GetValueOrDefault(key));
            if (old != now) yield return $"setting {key}: {old ?? "(unset)"} → {now ?? "(unset)"}";
        }
        foreach (var (kind, key) in node.UpstreamKeys)
            if (previous.Upstream.GetValueOrDefault(kind) != key) yield return $"upstream '{kind}' changed";
        foreach (var input in node.Inputs)
        {
            var old = previous.Inputs.FirstOrDefault(i => i.Name == input.Name);
            if (old is null) yield return $"new input '{input.Name}' ({input.Path})";
            else if (old.Hash != (input.Hash ?? "missing")) yield return $"input '{input.Name}' changed ({input.Path})";
        }
    }

    /// <summary>A leaf for display: numbers by value (a record read back from JSON loses the int/float distinction).</summary>
    private static string Display(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : CanonicalJson.Serialize(node);

    private static Dictionary<string, string> Flatten(JsonObject settings)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string prefix)
        {
            if (node is JsonObject obj)
                foreach (var (key, value) in obj) Walk(value, prefix.Length == 0 ? key : $"{prefix}.{key}");
            else flat[prefix] = Display(node);
        }
        Walk(settings, "");
        return flat;
    }
}
