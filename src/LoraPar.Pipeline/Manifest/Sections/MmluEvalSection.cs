using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary><c>[eval.mmlu]</c>: where the MMLU questions are and how many solved examples precede each one.</summary>
public sealed record MmluEvalSection
{
    /// <summary>What <see cref="Path"/> must name, for error messages.</summary>
    public const string PathHint =
        "point eval.mmlu.path at the MMLU test data: a folder of Hendrycks {subject}_test.csv files, one such file, or a cais/mmlu .parquet file or folder";

    /// <summary>What <see cref="Dev"/> must name, for error messages.</summary>
    public const string DevHint =
        "point eval.mmlu.dev at the MMLU dev split (the Hendrycks dev/ folder of {subject}_dev.csv files, or the cais/mmlu dev .parquet)";

    /// <summary>The test questions: a Hendrycks CSV file or folder, or a cais/mmlu Parquet file or folder of shards.</summary>
    public ManifestPath? Path { get; init; }

    /// <summary>The dev questions the shots are taken from (needed when <see cref="Shots"/> &gt; 0).</summary>
    public ManifestPath? Dev { get; init; }

    /// <summary>Solved dev questions of the same subject shown before each question (0 or 5 in the standard protocol).</summary>
    public int Shots { get; init; }

    /// <summary>Questions evaluated: a seeded random subset of this size (0 = all).</summary>
    public int Subset { get; init; }

    internal static MmluEvalSection Read(SectionReader r, bool needed)
    {
        var d = new MmluEvalSection();
        var section = new MmluEvalSection
        {
            Path = r.Path("path", PathKind.Any, mustExist: true, PathHint),
            Dev = r.Path("dev", PathKind.Any, mustExist: true, DevHint),
            Shots = r.Int("shots", d.Shots, new NumberRange(0, 5)),
            Subset = r.Int("subset", d.Subset, NumberRange.NonNegative),
        };
        if (needed && section.Path is null) r.Error("path", $"eval.benchmarks includes \"mmlu\"; {PathHint}");
        if (needed && section.Shots > 0 && section.Dev is null)
            r.Error("dev", $"shots = {section.Shots} takes solved questions from the dev split; {DevHint}, or set shots = 0");
        r.Finish();
        return section;
    }
}
