using System.Text;
using System.Text.Json.Nodes;
using LoraPar.Pipeline.Hashing;

namespace LoraPar.Pipeline.Stages;

/// <summary>
/// A stage's cache key: the BLAKE3 digest of its kind and version, the canonical JSON of the manifest values it reads,
/// its upstream stages' keys and the digests of its input files (by logical name). Nothing else: not paths, not the run name,
/// not the time, so two manifests that agree on these share the artifact.
/// </summary>
public static class StageKey
{
    /// <summary>Key length in hex characters (128 bits).</summary>
    public const int Length = 32;

    /// <summary>The text that is hashed (also recorded in stage.json for inspection).</summary>
    public static string Preimage(string kind, int version, JsonObject settings, IReadOnlyDictionary<string, string> upstreamKeys,
        IReadOnlyDictionary<string, string> inputHashes)
    {
        var text = new StringBuilder();
        text.Append("lorapar-stage-key/1\n");
        text.Append("kind=").Append(kind).Append('\n');
        text.Append("version=").Append(version).Append('\n');
        text.Append("settings=").Append(CanonicalJson.Serialize(settings)).Append('\n');
        foreach (var (upstream, key) in upstreamKeys.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            text.Append("upstream ").Append(upstream).Append('=').Append(key).Append('\n');
        foreach (var (name, hash) in inputHashes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            text.Append("input ").Append(name).Append('=').Append(hash).Append('\n');
        return text.ToString();
    }

    /// <summary>The key of <see cref="Preimage"/>.</summary>
    public static string Compute(string kind, int version, JsonObject settings, IReadOnlyDictionary<string, string> upstreamKeys,
        IReadOnlyDictionary<string, string> inputHashes) =>
        ContentHash.OfText(Preimage(kind, version, settings, upstreamKeys, inputHashes))[..Length];
}
