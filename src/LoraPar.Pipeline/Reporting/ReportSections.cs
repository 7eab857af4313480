using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LoraPar.Method.Partition;
using LoraPar.Method.Splitter;

namespace LoraPar.Pipeline.Reporting;

/// <summary>The parts of report.md that describe upstream artifacts: the labels (D1/D2, teacher agreement) and the partition with its figures.</summary>
public static class ReportSections
{
    /// <summary>The partition figures the report copies from the masks artifact, with their captions.</summary>
    public static IReadOnlyList<(string File, string Caption)> PartitionFigures { get; } =
    [
        (PartitionArtifacts.ThetaCurveFileName, "Active LoRA elements against θ"),
        (PartitionArtifacts.ScatterFileName, "System-1 against System-2 importance of every LoRA element"),
    ];

    /// <summary>"## Labels": D1/D2 sizes, Fleiss' κ and, for the synthetic task, agreement with the ground truth; empty without labels.json.</summary>
    public static string Labels(string labelsDirectory)
    {
        var path = Path.Combine(labelsDirectory, LabelsWriter.StatisticsFileName);
        if (!File.Exists(path)) return "";
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var balance = root["label_balance"]!;
        var text = new StringBuilder("## Labels\n\n");
        text.Append(Invariant($"D1 (System 1): {balance["system1"]!["count"]} questions ({Percent(balance["system1"]!["fraction"])}), "))
            .Append(Invariant($"D2 (System 2): {balance["system2"]!["count"]} ({Percent(balance["system2"]!["fraction"])}), by "))
            .Append(root["method"]?.GetValue<string>().Replace('_', ' '));
        if (root["fleiss_kappa"] is { } kappa) text.Append(Invariant($"; Fleiss' κ {kappa.GetValue<double>():F3}"));
        text.Append(".\n").Append(TeacherVotesTable.Render(root));
        if (root["ground_truth"] is { } truth)
        {
            text.Append(Invariant($"\nAgreement with the synthetic task's ground truth: {Percent(truth["accuracy"])} of {truth["items"]} questions.\n\n"));
            text.Append(MarkdownTable.Render(["ground truth", "labelled System 1", "labelled System 2"],
            [
                ["System 1", $"{truth["truth_system1"]!["labelled_system1"]}", $"{truth["truth_system1"]!["labelled_system2"]}"],
                ["System 2", $"{truth["truth_system2"]!["labelled_system1"]}", $"{truth["truth_system2"]!["labelled_system2"]}"],
            ]));
        }
        return text.Append('\n').ToString();
    }

    /// <summary>
    /// "## Partition": active shares and set sizes from partition.json, and (when <paramref name="reportDirectory"/> is given) the
    /// masks stage's figures copied beside report.md and embedded; empty without partition.json.
    /// </summary>
    public static string Partition(string masksDirectory, string? reportDirectory)
    {
        var path = Path.Combine(masksDirectory, PartitionReport.FileName);
        if (!File.Exists(path)) return "";
        var s = PartitionReport.Read(path);
        var text = new StringBuilder("## Partition\n\n");
        text.Append(Invariant($"Selection `{s.Strategy.ToString().ToLowerInvariant()}` over {s.TotalElements:N0} LoRA elements: "))
            .Append(Invariant($"stage 1 activates {s.Stages["stage1"].Percent:0.##}%, stage 2 {s.Stages["stage2"].Percent:0.##}%; "))
            .Append(Invariant($"|Ω1-only| = {s.Overlap.Omega1Only:N0}, |Ω2-only| = {s.Overlap.Omega2Only:N0}, |shared| = {s.Overlap.Shared:N0} "))
            .Append(Invariant($"(Jaccard {s.Overlap.Jaccard:F3}).\n"));
        foreach (var warning in s.Warnings) text.Append("\n> ").Append(warning).Append('\n');
        if (reportDirectory is null) return text.Append('\n').ToString();
        foreach (var (file, caption) in PartitionFigures)
        {
            var source = Path.Combine(masksDirectory, file);
            if (!File.Exists(source)) continue;
            File.Copy(source, Path.Combine(reportDirectory, file), overwrite: true);
            text.Append($"\n![{caption}]({file})\n");
        }
        return text.Append('\n').ToString();
    }

    private static string Percent(JsonNode? fraction) => Invariant($"{100 * (fraction?.GetValue<double>() ?? 0):0.#}%");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
