using LoraPar.Core;
using LoraPar.Pipeline.Benchmarks;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

public sealed class PipelineRunnerTests : IDisposable
{
    private static readonly string[] All = ["data", "labels", "scores", "masks", "sft", "rl", "eval", "report"];
    private readonly ProbePipeline _p = new("[partition]\nalpha = 1.0\n");

    public void Dispose() => _p.Dispose();

    [Fact]
    public void A_first_run_executes_every_stage_in_dag_order_and_a_second_run_nothing()
    {
        var first = _p.Run();
        Assert.Equal(All, first.Executed.Select(n => n.Kind));
        Assert.Equal(All, _p.Ran());
        var second = _p.Run();
        Assert.Empty(second.Executed);
        Assert.Equal(8, second.Reused.Count);
        Assert.Empty(_p.Ran());
    }

    [Fact]
    public void Changing_alpha_reruns_masks_sft_rl_eval_report_only()
    {
        _p.Run();
        _p.Counts();
        _p.Edit("[partition]\nalpha = 0.5\n");
        _p.Run();
        Assert.Equal(["masks", "sft", "rl", "eval", "report"], _p.Ran());
    }

    [Fact]
    public void Editing_the_data_file_reruns_from_data()
    {
        _p.Run();
        _p.Counts();
        _p.Ws.Write("data/train.jsonl", "{\"q\": 2}\n");
        _p.Run();
        Assert.Equal(All, _p.Ran());
    }

    [Fact]
    public void Cosmetic_fields_do_not_change_any_key()
    {
        var before = _p.Plan().Nodes.Select(n => n.Key).ToList();
        _p.Edit("name = \"renamed\"\nlog_level = \"verbose\"\nprogress = \"none\"\n[partition]\nalpha = 1.0\n[report]\ntitle = \"A new title\"\n");
        Assert.Equal(before, _p.Plan().Nodes.Select(n => n.Key).ToList());
        _p.Edit("[partition]\nalpha = 1.0\n[report]\nfigures = false\n");
        var after = _p.Plan().Nodes.Select(n => n.Key).ToList();
        Assert.Equal(before[..7], after[..7]);
        Assert.NotEqual(before[7], after[7]);
    }

    [Fact]
    public void Renaming_the_data_file_keeps_keys_because_only_its_bytes_count()
    {
        var before = _p.Plan().Nodes.Select(n => n.Key).ToList();
        _p.Ws.Write("elsewhere/copy.jsonl", File.ReadAllText(_p.Ws.PathOf("data/train.jsonl")));
        _p.Ws.Write("m.toml", "[data]\ntrain = \"elsewhere/copy.jsonl\"\n[partition]\nalpha = 1.0\n");
        Assert.Equal(before, _p.Plan().Nodes.Select(n => n.Key).ToList());
    }

    [Fact]
    public void Force_reruns_the_stage_and_its_dependents()
    {
        _p.Run();
        _p.Counts();
        _p.Run(new RunSelection(Force: "sft"));
        Assert.Equal(["sft", "rl", "eval", "report"], _p.Ran());
        Assert.Empty(_p.Run().Executed);
    }

    [Fact]
    public void A_single_stage_runs_alone_when_its_upstream_is_complete_and_fails_clearly_otherwise()
    {
        var error = Assert.Throws<JobFailedException>(() => _p.Run(new RunSelection(OnlyStage: "masks")));
        Assert.Contains("needs 'scores'", error.Message);
        Assert.Contains("lorapar run --stage scores", error.Message);
        foreach (var kind in new[] { "data", "labels", "scores", "masks" }) _p.Run(new RunSelection(OnlyStage: kind));
        Assert.Equal(["data", "labels", "scores", "masks"], _p.Ran());
        Assert.Equal(["sft", "rl", "eval", "report"], _p.Run().Executed.Select(n => n.Kind));
    }

    [Fact]
    public void An_unknown_stage_name_is_bad_input_with_a_suggestion()
    {
        var error = Assert.Throws<BadInputException>(() => _p.Run(new RunSelection(Force: "msks")));
        Assert.Contains("did you mean 'masks'?", error.Message);
    }

    [Fact]
    public void A_corrupted_artifact_is_detected_and_recomputed()
    {
        _p.Run();
        _p.Counts();
        var masks = _p.Plan().Find("default", "masks")!;
        var output = Path.Combine(_p.Store.DirectoryOf("masks", masks.Key), "output.txt");
        File.WriteAllText(output, File.ReadAllText(output).Replace('m', 'x'));
        Assert.Equal(ArtifactState.Corrupt, _p.Store.Check("masks", masks.Key).State);
        _p.Run();
        Assert.Equal(["masks"], _p.Ran());
        Assert.True(_p.Store.Check("masks", masks.Key).IsComplete);
    }

    [Fact]
    public void A_folder_without_stage_json_is_not_complete_and_is_recomputed()
    {
        _p.Run();
        _p.Counts();
        var rl = _p.Plan().Find("default", "rl")!;
        File.Delete(Path.Combine(_p.Store.DirectoryOf("rl", rl.Key), ArtifactStore.RecordFileName));
        Assert.Equal(ArtifactState.Incomplete, _p.Store.Check("rl", rl.Key).State);
        _p.Run();
        Assert.Equal(["rl"], _p.Ran());
    }

    [Fact]
    public void Stage_json_records_inputs_outputs_timings_and_the_tool_version()
    {
        _p.Run();
        var data = _p.Plan().Find("default", "data")!;
        var record = _p.Store.ReadRecord("data", data.Key)!;
        Assert.Equal(("data", data.Key, 1), (record.Kind, record.Key, record.Version));
        Assert.Equal(StageExecutor.ToolVersion, record.ToolVersion);
        Assert.Equal("train", Assert.Single(record.Inputs).Name);
        Assert.Contains(record.Outputs, o => o.Path == "output.txt");
        Assert.Contains(record.Outputs, o => o.Path == "parts/0.txt");
        Assert.True(record.Seconds >= 0);
        Assert.Equal(1.0, record.Settings["data"]!["synthetic_train_size"]!.GetValue<long>() > 0 ? 1.0 : 0.0);
    }
}
