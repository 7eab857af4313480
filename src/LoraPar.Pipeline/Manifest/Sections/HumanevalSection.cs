using LoraPar.Evaluation.HumanEval;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary><c>[eval.humaneval]</c>: where the problems are, how many completions are sampled per problem and which pass@k are reported.</summary>
public sealed record HumanevalSection
{
    /// <summary>What <see cref="Path"/> must name, for error messages.</summary>
    public const string PathHint = "point eval.humaneval.path at the HumanEval problems (HumanEval.jsonl or HumanEval.jsonl.gz)";

    /// <summary>The problems file (<c>.jsonl</c> or <c>.jsonl.gz</c>).</summary>
    public ManifestPath? Path { get; init; }

    /// <summary>Completions sampled per problem (n).</summary>
    public int Samples { get; init; } = 1;

    /// <summary>Sampling temperature (0 = greedy, which needs <see cref="Samples"/> = 1; Codex used 0.2 for pass@1 and 0.8 for pass@100).</summary>
    public double Temperature { get; init; }

    /// <summary>The k of each reported pass@k (each ≤ <see cref="Samples"/>).</summary>
    public IReadOnlyList<int> K { get; init; } = [1];

    /// <summary>Problems evaluated: a seeded random subset of this size (0 = all).</summary>
    public int Subset { get; init; }

    /// <summary>Wall-clock limit per sandboxed program, in seconds.</summary>
    public double TimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// How the programs are isolated: <c>"bubblewrap"</c> (the default; the stage refuses to start where bubblewrap or user
    /// namespaces are missing) or <c>"none"</c> (unsandboxed, as the calling user: warned on every run, recorded with each result).
    /// </summary>
    public SandboxIsolation Isolation { get; init; } = SandboxIsolation.Bubblewrap;

    internal static HumanevalSection Read(SectionReader r, bool needed)
    {
        var d = new HumanevalSection();
        var section = new HumanevalSection
        {
            Path = r.Path("path", PathKind.File, mustExist: true, PathHint),
            Samples = r.Int("samples", d.Samples, NumberRange.AtLeast(1)),
            Temperature = r.Double("temperature", d.Temperature, NumberRange.NonNegative),
            K = r.IntList("k", d.K, NumberRange.AtLeast(1)),
            Subset = r.Int("subset", d.Subset, NumberRange.NonNegative),
            TimeoutSeconds = r.Double("timeout_seconds", d.TimeoutSeconds, NumberRange.Positive),
            Isolation = r.Enum("isolation", d.Isolation),
        };
        if (needed && section.Path is null) r.Error("path", $"eval.benchmarks includes \"humaneval\"; {PathHint}");
        if (section.K.Count == 0) r.Error("k", "k is empty; list at least one k, e.g. k = [1]");
        if (section.K.FirstOrDefault(k => k > section.Samples) is var big and > 0)
            r.Error("k", $"pass@{big} needs samples ≥ {big} (samples = {section.Samples}); raise samples or drop {big} from k");
        if (section.Samples > 1 && section.Temperature == 0)
            r.Error("temperature", $"samples = {section.Samples} with temperature = 0 draws {section.Samples} identical greedy completions; "
                + "set temperature > 0 (e.g. 0.8) or samples = 1");
        r.Finish();
        return section;
    }
}
