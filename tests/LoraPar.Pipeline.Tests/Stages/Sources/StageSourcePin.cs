using System.Security.Cryptography;
using System.Text;

namespace LoraPar.Pipeline.Tests.Stages.Sources;

/// <summary>One stage's pinned identity: its <c>Version</c> and the digest of the source files its code can reach.</summary>
/// <param name="Kind">The stage kind.</param>
/// <param name="Version">The stage's <c>IStage.Version</c> when pinned.</param>
/// <param name="Digest">SHA-256 (hex) over the sorted relative paths and LF-normalised contents of <paramref name="Files"/>.</param>
/// <param name="Files">The source set, in ordinal order.</param>
internal sealed record StagePin(string Kind, int Version, string Digest, IReadOnlyList<string> Files);

/// <summary>
/// The pin file <c>stage-sources.pin</c>: one <c>kind version digest</c> line per stage, then after <c>[files]</c> one
/// <c>sha256 path</c> line per source file of any stage (so that a failure can name the files that changed).
/// </summary>
/// <param name="Stages">The stage pins by kind.</param>
/// <param name="FileDigests">The digest of every pinned file by relative path.</param>
internal sealed record StageSourcePin(IReadOnlyDictionary<string, StagePin> Stages, IReadOnlyDictionary<string, string> FileDigests)
{
    private const string FilesHeader = "[files]";

    /// <summary>The pins of <paramref name="stages"/> (kind, version, stage type name) over <paramref name="graph"/>.</summary>
    public static StageSourcePin Compute(SourceGraph graph, IEnumerable<(string Kind, int Version, string TypeName)> stages)
    {
        var pins = new Dictionary<string, StagePin>(StringComparer.Ordinal);
        foreach (var (kind, version, typeName) in stages)
        {
            var seeds = graph.Declaring(typeName);
            var files = seeds.Count == 0 ? [] : graph.Closure(seeds);
            pins[kind] = new StagePin(kind, version, Digest(files, graph.Contents), files);
        }
        var digests = pins.Values.SelectMany(p => p.Files).Distinct().ToDictionary(f => f, f => Sha256(graph.Contents[f]), StringComparer.Ordinal);
        return new StageSourcePin(pins, digests);
    }

    /// <summary>SHA-256 (hex) over each file's relative path and contents, in ordinal path order.</summary>
    public static string Digest(IEnumerable<string> files, IReadOnlyDictionary<string, string> contents)
    {
        var text = new StringBuilder();
        foreach (var file in files.Order(StringComparer.Ordinal)) text.Append(file).Append('\0').Append(contents[file]).Append('\0');
        return Sha256(text.ToString());
    }

    /// <summary>Parses the pin file text.</summary>
    public static StageSourcePin Parse(string text)
    {
        var stages = new Dictionary<string, StagePin>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var inFiles = false;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line == FilesHeader) { inFiles = true; continue; }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (inFiles && parts.Length == 2) files[parts[1]] = parts[0];
            else if (!inFiles && parts.Length == 3 && int.TryParse(parts[1], out var version)) stages[parts[0]] = new StagePin(parts[0], version, parts[2], []);
            else throw new FormatException($"stage-sources.pin: malformed line '{line}'");
        }
        return new StageSourcePin(stages, files);
    }

    /// <summary>The pin file text (stages in <paramref name="order"/>, files in ordinal order).</summary>
    public string Format(IEnumerable<string> order)
    {
        var text = new StringBuilder()
            .Append("# Stage source pins, checked by StageSourcesTests: kind version sha256-of-the-stage's-sources.\n")
            .Append("# Re-pin after bumping a stage's Version: ").Append(StageSourceCheck.RepinCommand).Append('\n');
        foreach (var kind in order) text.Append(kind).Append(' ').Append(Stages[kind].Version).Append(' ').Append(Stages[kind].Digest).Append('\n');
        text.Append(FilesHeader).Append('\n');
        foreach (var (file, digest) in FileDigests.OrderBy(kv => kv.Key, StringComparer.Ordinal)) text.Append(digest).Append(' ').Append(file).Append('\n');
        return text.ToString();
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
