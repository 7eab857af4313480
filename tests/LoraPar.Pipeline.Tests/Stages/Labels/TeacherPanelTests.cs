using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Pipeline.Tests.Stages.Labels;

public sealed class TeacherPanelTests
{
    private static SplitterConfig Build(string splitter, Workspace ws)
    {
        ws.Write("m.toml", "seed = 11\n[splitter]\n" + splitter);
        return TeacherPanel.Build(ws.Load("m.toml", env: _ => "set").Manifest);
    }

    [Fact]
    public void Every_manifest_setting_reaches_the_splitter()
    {
        using var ws = new Workspace();
        ws.Write("ckpt/config.json", "{}");
        var config = Build("""
            role_play = false
            target_model = "Qwen-2.5-7B"
            tie_break = "random"
            on_teacher_failure = "continue"
            endpoint = "http://127.0.0.1:8000/v1"
            api_key_env = ""
            [splitter.resilience]
            max_concurrency = 2
            request_timeout_seconds = 5
            max_retries = 1
            max_consecutive_failures = 3
            [[splitter.teachers]]
            model = "qwq-32b"
            weight = 2.5
            temperature = 0.7
            max_tokens = 512
            [[splitter.teachers]]
            kind = "local"
            checkpoint = "ckpt"
            [[splitter.teachers]]
            kind = "heuristic"
            step_threshold = 2
            required_signals = 1
            """, ws);
        Assert.Equal((SplitterMethod.RolePlayVote, "Qwen-2.5-7B", TieBreakRule.Random, TeacherFailurePolicy.Continue, 11L),
            (config.Method, config.TargetModel, config.TieBreak, config.OnTeacherFailure, config.Seed));
        Assert.Same(RolePlayPrompt.NoRolePlayDefault, config.Prompt);
        Assert.Equal((2, TimeSpan.FromSeconds(5), 1, 3),
            (config.Resilience.MaxConcurrency, config.Resilience.RequestTimeout, config.Resilience.MaxRetries, config.Resilience.MaxConsecutiveFailures));
        var openai = Assert.IsType<OpenAiTeacherConfig>(config.Teachers[0]);
        Assert.Equal(("qwq-32b", "http://127.0.0.1:8000/v1", 2.5, 0.7, 512, (string?)null),
            (openai.Name, openai.BaseUrl.ToString(), openai.Weight, openai.Temperature, openai.MaxTokens, openai.ApiKeyVariable));
        var local = Assert.IsType<LocalTeacherConfig>(config.Teachers[1]);
        Assert.Equal(("ckpt", ws.PathOf("ckpt")), (local.Name, local.Checkpoint));
        var rule = Assert.IsType<HeuristicTeacherConfig>(config.Teachers[2]);
        Assert.Equal(("heuristic-3", 2, 1), (rule.Name, rule.StepThreshold, rule.RequiredSignals));
    }

    [Fact]
    public void Plain_model_names_are_openai_teachers_at_the_splitter_endpoint_with_its_key_variable()
    {
        using var ws = new Workspace();
        var config = Build("teachers = [\"a\", \"b\", \"c\"]\n", ws);
        Assert.All(config.Teachers, t =>
        {
            var o = Assert.IsType<OpenAiTeacherConfig>(t);
            Assert.Equal((TeacherPanel.DefaultEndpoint, "OPENAI_API_KEY", 1.0), (o.BaseUrl.ToString(), o.ApiKeyVariable, o.Weight));
        });
        Assert.Same(RolePlayPrompt.RolePlayDefault, config.Prompt);
        Assert.Equal(TieBreakRule.System2, config.TieBreak);
    }

    [Fact]
    public void The_heuristic_method_without_teachers_votes_with_the_built_in_panel_and_random_asks_nobody()
    {
        using var ws = new Workspace();
        Assert.Equal(["heuristic-gsm8k", "heuristic-steps", "heuristic-any"], Build("method = \"heuristic\"\n", ws).Teachers.Select(t => t.Name));
        var random = Build("method = \"random\"\nteachers = [\"a\", \"b\"]\nrandom_system2_fraction = 0.25\n", ws);
        Assert.Equal((SplitterMethod.Random, 0, 0.25), (random.Method, random.Teachers.Count, random.RandomSystem2Fraction));
    }

    [Fact]
    public void The_cache_file_names_the_panel_not_its_order_weights_or_tie_break_and_follows_checkpoint_edits()
    {
        using var ws = new Workspace();
        ws.Write("ckpt/model.safetensors", "w1");
        const string local = "[[splitter.teachers]]\nkind = \"local\"\ncheckpoint = \"ckpt\"\n";
        const string rule = "[[splitter.teachers]]\nkind = \"heuristic\"\nname = \"h\"\n";
        var id = VoteCacheFile.PanelIdentity(Build(local + rule, ws));
        Assert.Equal(24, id.Length);
        Assert.Equal(id, VoteCacheFile.PanelIdentity(Build("tie_break = \"system1\"\n" + rule + local.Replace("\"ckpt\"\n", "\"ckpt\"\nweight = 3.0\n"), ws)));
        Assert.NotEqual(id, VoteCacheFile.PanelIdentity(Build("role_play = false\n" + local + rule, ws)));
        Assert.NotEqual(id, VoteCacheFile.PanelIdentity(Build(local + rule.Replace("\"h\"", "\"h\"\nrequired_signals = 3"), ws)));
        ws.Write("ckpt/model.safetensors", "w2, longer");
        Assert.NotEqual(id, VoteCacheFile.PanelIdentity(Build(local + rule, ws)));
    }
}
