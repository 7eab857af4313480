using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>An evaluation benchmark.</summary>
public enum Benchmark
{
    /// <summary>GSM8K test accuracy (exact match on the final number).</summary>
    Gsm8k,

    /// <summary>MMLU accuracy.</summary>
    Mmlu,

    /// <summary>HumanEval pass@k in a sandbox.</summary>
    Humaneval,

    /// <summary>The synthetic task's System-1 and System-2 accuracy.</summary>
    Synthetic,

    /// <summary>One's own held-out file, graded by its chosen metric (<c>[eval.own]</c>).</summary>
    Own,
}

/// <summary>A model state to evaluate.</summary>
public enum EvalPoint
{
    /// <summary>The base model, adapters off.</summary>
    Base,

    /// <summary>After the recipe's first training stage; under <c>method = "sft"</c>, after the first SFT epoch.</summary>
    Stage1,

    /// <summary>After the recipe's last training stage; under <c>method = "sft"</c>, after the last SFT epoch.</summary>
    Stage2,
}

/// <summary><c>[eval]</c>: what is measured, on which model states.</summary>
public sealed record EvalSection
{
    /// <summary>Benchmarks.</summary>
    public IReadOnlyList<Benchmark> Benchmarks { get; init; } = [Benchmark.Gsm8k];

    /// <summary>Model states evaluated.</summary>
    public IReadOnlyList<EvalPoint> Points { get; init; } = [EvalPoint.Base, EvalPoint.Stage1, EvalPoint.Stage2];

    /// <summary>Generated tokens per answer.</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>Prompts per generation batch.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>GSM8K / synthetic / own rows per eval set, the first ones (0 = all); MMLU and HumanEval take <c>subset</c> instead.</summary>
    public int Limit { get; init; }

    /// <summary>The first <see cref="Limit"/> of an eval set's <paramref name="rows"/> (all of them when the limit is 0).</summary>
    public IReadOnlyList<T> Limited<T>(IReadOnlyList<T> rows) => Limit > 0 ? rows.Take(Limit).ToList() : rows;

    /// <summary>Sampling temperature of GSM8K / synthetic answers (0 = greedy).</summary>
    public double Temperature { get; init; }

    /// <summary><c>[eval.mmlu]</c>.</summary>
    public MmluEvalSection Mmlu { get; init; } = new();

    /// <summary><c>[eval.humaneval]</c>.</summary>
    public HumanevalSection Humaneval { get; init; } = new();

    /// <summary><c>[eval.own]</c>: one's own held-out file and its metric.</summary>
    public OwnEvalSection Own { get; init; } = new();

    internal static EvalSection Read(SectionReader r, DataSection data)
    {
        var d = new EvalSection();
        var benchmarks = r.EnumList("benchmarks", d.Benchmarks, ListRules.NonEmpty | ListRules.Distinct);
        var section = new EvalSection
        {
            Benchmarks = benchmarks,
            Points = r.EnumList("points", d.Points, ListRules.NonEmpty | ListRules.Distinct),
            MaxNewTokens = r.Int("max_new_tokens", d.MaxNewTokens, NumberRange.AtLeast(1)),
            BatchSize = r.Int("batch_size", d.BatchSize, NumberRange.AtLeast(1)),
            Limit = r.Int("limit", d.Limit, NumberRange.NonNegative),
            Temperature = r.Double("temperature", d.Temperature, NumberRange.NonNegative),
            Mmlu = MmluEvalSection.Read(r.Section("mmlu"), benchmarks.Contains(Benchmark.Mmlu)),
            Humaneval = HumanevalSection.Read(r.Section("humaneval"), benchmarks.Contains(Benchmark.Humaneval)),
            Own = OwnEvalSection.Read(r.Section("own"), benchmarks.Contains(Benchmark.Own), data),
        };
        r.Finish();
        return section;
    }
}
