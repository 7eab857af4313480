using System.Text.Json;
using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Pipeline.Tests.Stages.Labels;

/// <summary>
/// <c>method = "labels-file"</c>: the user's labels (CSV of id → system, JSONL of per-teacher votes) become D1 / D2 as given or as
/// voted, and every bad row is reported as <c>file:line: message</c>.
/// </summary>
public sealed class LabelsFileTests
{
    private const string Synthetic = "seed = 7\n[data]\nsynthetic_train_size = 3\nsynthetic_eval_size = 1\n";

    /// <summary>A harness whose labels stage reads <paramref name="file"/>; the data stage has run, its train ids are returned.</summary>
    private static (StageHarness Harness, string[] Ids) WithLabelsFile(string file, string extra = "")
    {
        var h = new StageHarness(Synthetic + $"[splitter]\nmethod = \"labels-file\"\nlabels_file = \"{file}\"\n{extra}", new DataStage(), new LabelsStage());
        h.Ws.Write(file, "id,system\n");
        h.Run(onlyStage: "data");
        var ids = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile)).Select(r => r.Id).ToArray();
        return (h, ids);
    }

    private static IReadOnlyList<ItemLabel> Labels(StageHarness h) =>
        LabelsWriter.ReadLabels(Path.Combine(h.Artifact("labels"), LabelsWriter.LabelsFileName));

    [Fact]
    public void A_csv_of_labels_gives_d1_and_d2_exactly_as_written()
    {
        var (h, ids) = WithLabelsFile("labels.csv");
        using var _ = h;
        Assert.Equal(6, ids.Length);
        var systems = new[] { "1", "system2", "System 1", "2", "s1", "SYSTEM2" };
        h.Ws.Write("labels.csv", "id,question,system\n" + string.Concat(ids.Select((id, i) => $"{id},\"q, {i}\",{systems[i]}\n")));
        h.Run();
        var labels = Labels(h);
        Assert.Equal(ids, labels.Select(l => l.Id));
        Assert.Equal([1, 2, 1, 2, 1, 2], labels.Select(l => (int)l.Label));
        Assert.All(labels, l => Assert.Equal(LabelDecision.LabelsFile, l.DecidedBy));
        var d1 = DatasetRows.Read(Path.Combine(h.Artifact("labels"), LabelsStage.System1File));
        Assert.Equal([ids[0], ids[2], ids[4]], d1.Select(r => r.Id));
        using var statistics = JsonDocument.Parse(File.ReadAllText(Path.Combine(h.Artifact("labels"), LabelsWriter.StatisticsFileName)));
        Assert.Equal("labels_file", statistics.RootElement.GetProperty("method").GetString());
        Assert.Equal(6, statistics.RootElement.GetProperty("decided_by").GetProperty("labels_file").GetInt32());
    }

    [Fact]
    public void Per_teacher_votes_in_jsonl_are_voted_by_majority_and_the_tie_break()
    {
        var (h, ids) = WithLabelsFile("votes.jsonl", "tie_break = \"system1\"\nmissing_labels = \"tie-break\"\n");
        using var _ = h;
        // Row by row: 2-1 for System 2; 3-0 for System 1; 1-1 with an abstention (tie → system1); all abstain (tie → system1);
        // 1 for System 2 against two abstentions; the sixth question is not listed (missing → tie-break → system1).
        string[] rows =
        [
            $$"""{"id": "{{ids[0]}}", "qwq": "system2", "r1": 2, "gpt": "system1"}""",
            $$"""{"id": "{{ids[1]}}", "qwq": 1, "r1": "1", "gpt": "System1"}""",
            $$"""{"id": "{{ids[2]}}", "qwq": 1, "r1": "", "gpt": 2}""",
            $$"""{"id": "{{ids[3]}}", "qwq": null, "r1": "abstain"}""",
            $$"""{"id": "{{ids[4]}}", "qwq": 2}""",
        ];
        h.Ws.Write("votes.jsonl", string.Join("\n", rows) + "\n");
        h.Run();
        var labels = Labels(h);
        Assert.Equal([2, 1, 1, 1, 2, 1], labels.Select(l => (int)l.Label));
        Assert.Equal([LabelDecision.Majority, LabelDecision.Majority, LabelDecision.TieBreak, LabelDecision.TieBreak, LabelDecision.Majority, LabelDecision.TieBreak],
            labels.Select(l => l.DecidedBy));
        Assert.Equal(["qwq", "r1", "gpt"], labels[0].Votes.Select(v => v.Teacher));
        Assert.Equal((1.0, 2.0), (labels[0].System1Weight, labels[0].System2Weight));
        Assert.All(labels[5].Votes, v => Assert.Equal(AnswerStatus.Skipped, v.Status));
        using var statistics = JsonDocument.Parse(File.ReadAllText(Path.Combine(h.Artifact("labels"), LabelsWriter.StatisticsFileName)));
        var qwq = statistics.RootElement.GetProperty("teachers")[0];
        Assert.Equal(("qwq", "recorded", 2, 2), (qwq.GetProperty("name").GetString(), qwq.GetProperty("kind").GetString(),
            qwq.GetProperty("system1").GetInt32(), qwq.GetProperty("system2").GetInt32()));
    }

    [Fact]
    public void Bad_rows_are_reported_by_file_and_line()
    {
        var (h, ids) = WithLabelsFile("labels.csv");
        using var _ = h;
        h.Ws.Write("labels.csv", $"id,system\n{ids[0]},1\nnot-a-question,2\n{ids[0]},2\n{ids[1]},3\n,1\n");
        var message = Assert.Throws<BadInputException>(() => h.Run()).Message;
        var file = h.Ws.PathOf("labels.csv");
        Assert.Contains($"{file}:5: unknown system \"3\" for id \"{ids[1]}\"", message);
        Assert.Contains($"{file}:6: empty id", message);

        h.Ws.Write("labels.csv", $"id,system\n{ids[0]},1\nnot-a-question,2\n{ids[0]},2\n");
        message = Assert.Throws<BadInputException>(() => h.Run()).Message;
        Assert.Contains($"{file}:3: unknown id \"not-a-question\"", message);
        Assert.Contains($"{file}:4: duplicate id \"{ids[0]}\"; it is labelled first at {file}:2", message);
        Assert.Contains($"{file}: 5 of 6 training questions have no row, e.g. \"{ids[1]}\"", message);
    }

    [Fact]
    public void Named_vote_columns_must_be_in_the_file()
    {
        var (h, ids) = WithLabelsFile("votes.csv", "vote_columns = [\"a\", \"b\"]\n");
        using var _ = h;
        h.Ws.Write("votes.csv", $"id,a,question\n{ids[0]},1,q\n");
        var message = Assert.Throws<BadInputException>(() => h.Run()).Message;
        Assert.Contains($"{h.Ws.PathOf("votes.csv")}: vote column \"b\" (splitter.vote_columns) is not in the file; its columns are id, a, question", message);
    }
}
