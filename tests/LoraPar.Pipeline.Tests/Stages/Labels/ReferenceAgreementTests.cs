using System.Text.Json;
using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Labels;
using LoraPar.TestSupport;

namespace LoraPar.Pipeline.Tests.Stages.Labels;

/// <summary>The calculator-steps proxy checks the votes: as <c>[splitter.reference]</c> beside the panel, or as a voting teacher.</summary>
public sealed class ReferenceAgreementTests
{
    // Real GSM8K train rows (0-based lines) and their calculator steps, counted by hand: Natalia 2, Betty 3, Mr. Sanchez 1, Carlos 1.
    private static readonly (int Line, ReasoningSystem Proxy)[] Rows =
        [(0, ReasoningSystem.System2), (2, ReasoningSystem.System2), (35, ReasoningSystem.System1), (48, ReasoningSystem.System1)];

    private static StageHarness Harness(string splitter)
    {
        var lines = File.ReadLines(SharedData.Require("datasets/gsm8k/train.jsonl")).ToList();
        var h = new StageHarness("[data]\ndataset = \"gsm8k\"\ntrain = \"train.jsonl\"\n" + splitter, new DataStage(), new LabelsStage());
        h.Ws.Write("train.jsonl", string.Join("\n", Rows.Select(r => lines[r.Line])) + "\n");
        h.Run();
        return h;
    }

    private static (JsonElement Reference, IReadOnlyList<ItemLabel> Labels, Dictionary<string, ReasoningSystem> Proxy) Read(StageHarness h)
    {
        var dir = h.Artifact("labels");
        var rows = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile));
        var proxy = rows.Select((r, i) => (r.Id, Rows[i].Proxy)).ToDictionary(p => p.Id, p => p.Proxy);
        using var statistics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, LabelsWriter.StatisticsFileName)));
        return (statistics.RootElement.GetProperty("reference").Clone(), LabelsWriter.ReadLabels(Path.Combine(dir, LabelsWriter.LabelsFileName)), proxy);
    }

    [SkippableFact]
    public void A_configured_reference_does_not_vote_and_reports_how_often_the_labels_agree_with_it()
    {
        using var h = Harness("[splitter]\nmethod = \"heuristic\"\n[splitter.reference]\nkind = \"calculator-steps\"\n");
        var (reference, labels, proxy) = Read(h);

        Assert.All(labels, l => Assert.DoesNotContain(l.Votes, v => v.Kind == TeacherKind.CalculatorSteps)); // the built-in 3 rules vote
        Assert.Equal("calculator-steps", reference.GetProperty("teacher").GetString());
        var agreement = reference.GetProperty("agreement");
        Assert.Equal(4, agreement.GetProperty("items").GetInt32());
        var agreeing = labels.Count(l => l.Label == proxy[l.Id]);
        Assert.Equal(agreeing, agreement.GetProperty("agreeing").GetInt32());
        Assert.Equal(2, agreement.GetProperty("truth_system1").GetProperty("labelled_system1").GetInt32()
                        + agreement.GetProperty("truth_system1").GetProperty("labelled_system2").GetInt32());
        var metrics = MetricsFile.Read(Path.Combine(h.Artifact("labels"), MetricsFile.FileName));
        Assert.Equal(Math.Round(100 * agreeing / 4.0, 4), metrics["labels_reference_agreement"]);
    }

    [SkippableFact]
    public void A_voting_calculator_steps_teacher_is_the_reference_and_its_votes_are_the_hand_counted_ones()
    {
        using var h = Harness("[splitter]\nmethod = \"heuristic\"\n[[splitter.teachers]]\nkind = \"calculator-steps\"\n"
                              + "[[splitter.teachers]]\nkind = \"heuristic\"\nname = \"rules\"\n");
        var (reference, labels, proxy) = Read(h);

        Assert.All(labels, l => Assert.Equal(Votes.For(proxy[l.Id]), l.Votes[0].Vote));
        Assert.Equal("calculator-steps", reference.GetProperty("teacher").GetString());
        var teachers = reference.GetProperty("agreement").GetProperty("teachers");
        Assert.Equal(1.0, teachers[0].GetProperty("accuracy").GetDouble());
        var rules = labels.Count(l => l.Votes[1].Vote == l.Votes[0].Vote) / 4.0;
        Assert.Equal(rules, teachers[1].GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void The_report_lists_each_teachers_votes_and_abstentions_and_the_reference_agreement()
    {
        var statistics = System.Text.Json.Nodes.JsonNode.Parse("""
            {"teachers": [{"name": "gpt-4o", "system1": 5, "system2": 3, "unparseable": 1, "failed": 1, "skipped": 0, "open": 1}],
             "reference": {"teacher": "calculator-steps", "agreement": {"items": 9, "accuracy": 0.777778}}}
            """)!;

        var table = MarkdownTable.Render(["teacher", "System 1", "System 2", "unparseable", "failed", "not asked", "open"],
            [["gpt-4o", "5", "3", "1", "1", "0", "1"]]);
        Assert.Equal("\n" + table + "\nAgreement of the labels with the reference calculator-steps: 77.8% of 9 questions.\n",
            TeacherVotesTable.Render(statistics));
    }
}
