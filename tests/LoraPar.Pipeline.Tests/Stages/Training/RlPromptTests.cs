using LoraPar.Core;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Eval;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Pipeline.Tests.Stages.Training;

/// <summary>Stage 2's prompts and rewards per kind of data, the eval points asked in stage 2's format, and the authors' switches in <c>[rl]</c>.</summary>
public sealed class RlPromptTests : IDisposable
{
    private const string Llama2ChatTemplate =
        "{\"chat_template\": \"{% if messages[0]['role'] == 'system' %}{% set system_message = messages[0]['content'] %}{% endif %}"
        + "{{ bos_token + '[INST] ' + '<<SYS>>\\\\n' + system_message + '\\\\n<</SYS>>\\\\n\\\\n' + content.strip() + ' [/INST]' }}\"}";

    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void On_file_data_a_chat_model_gets_the_authors_system_prompt_under_its_template()
    {
        var m = FileManifest(Llama2ChatTemplate, "");
        var prompt = RlPrompt.For(m, RlPrompt.TemplateFolder(m));
        Assert.Equal("[INST] <<SYS>>\n\nRespond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n\n<</SYS>>\n\n"
            + "Tom has 3 apples. How many? [/INST]", prompt("Tom has 3 apples. How many?"));
        Assert.Equal(RewardRules.Authors, m.Rl.RulesFor(synthetic: m.Data.Dataset == DatasetKind.Synthetic));
    }

    [Fact]
    public void A_base_model_gets_a_plain_preamble_and_the_manifest_can_set_both()
    {
        var plain = FileManifest(null, "");
        Assert.Equal("Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n\nQuestion: q?\nAnswer:\n",
            RlPrompt.For(plain, RlPrompt.TemplateFolder(plain))("q?"));
        var named = FileManifest(null, "[rl.prompt]\nchat_template = \"chatml\"\nsystem_prompt = \"Answer in <answer> tags.\"\n");
        Assert.Equal("<|im_start|>system\nAnswer in <answer> tags.<|im_end|>\n<|im_start|>user\nq?<|im_end|>\n<|im_start|>assistant\n",
            RlPrompt.For(named, RlPrompt.TemplateFolder(named))("q?"));
    }

    [Fact]
    public void The_synthetic_task_keeps_its_own_prompt_and_lorapars_reward_reading()
    {
        _ws.Write("m.toml", "[data]\ndataset = \"synthetic\"\n");
        var m = _ws.Load("m.toml").Manifest;
        Assert.Equal("Question: 2+3?\nShow your reasoning.\n", RlPrompt.For(m, RlPrompt.TemplateFolder(m))("2+3?"));
        Assert.Equal(RewardRules.Lorapar, m.Rl.RulesFor(synthetic: true));
        _ws.Write("m.toml", "[data]\ndataset = \"synthetic\"\n[rl.prompt]\nchat_template = \"llama2\"\n");
        Assert.Contains("rl.prompt: the synthetic task asks in its own prompt", Assert.Throws<BadInputException>(() => _ws.Load("m.toml")).Message);
    }

    [Theory]
    [InlineData("lora-par", "", false, true)]
    [InlineData("sft-then-rl", "", false, true)]
    [InlineData("rl-then-sft", "", true, false)]
    [InlineData("sft", "[sft]\nepochs = 2\n", false, false)]
    public void Only_the_points_the_rl_stage_produced_are_asked_in_its_format(string method, string extra, bool stage1, bool stage2)
    {
        var m = FileManifest(null, extra) with { Method = KebabCase.TryParse<TrainingMethod>(method, out var t) ? t : throw new ArgumentException(method) };
        Assert.Equal((false, stage1, stage2),
            (EvalSuite.ProducedByRl(m, EvalPoint.Base), EvalSuite.ProducedByRl(m, EvalPoint.Stage1), EvalSuite.ProducedByRl(m, EvalPoint.Stage2)));
    }

    [Fact]
    public void The_authors_switches_parse_from_rl_and_all_rows_widen_stage_2_to_both_systems()
    {
        var m = FileManifest(null, "[rl]\ntop_k = 50\ndivide_logits_by_temperature = false\nkl_reference = \"base\"\nprompt_rows = \"all\"\nreward_rules = \"authors\"\n");
        Assert.Equal((50, false, KlReference.Base, GrpoPromptRows.All, RewardRules.Authors),
            (m.Rl.TopK, m.Rl.DivideLogitsByTemperature, m.Rl.KlReference, m.Rl.PromptRows, m.Rl.RewardRules));
        Assert.Equal([1, 2], StageOrder.Systems(m, StageKinds.Rl));
        Assert.Equal([1], StageOrder.Systems(m, StageKinds.Sft));
        Assert.Equal([2], StageOrder.Systems(FileManifest(null, ""), StageKinds.Rl));
    }

    [Fact]
    public void Bad_values_are_reported_at_their_keys()
    {
        WriteFiles(null);
        _ws.Write("m.toml", Text("[rl]\ntop_k = -1\nkl_reference = \"sft\"\n[rl.prompt]\nsystem_prompt = \"\"\nchat_template = \"alpaca\"\n"));
        var error = Assert.Throws<BadInputException>(() => _ws.Load("m.toml")).Message;
        foreach (var expected in new[] { "m.toml:9:1 rl.top_k: -1: must be 0 (off) or positive", "rl.kl_reference: unknown value 'sft'; expected one of stage-start, base",
                     "m.toml:12:1 rl.prompt.system_prompt: is empty", "rl.prompt.chat_template: unknown value 'alpaca'; expected one of auto, none, llama2, chatml" })
            Assert.True(error.Contains(expected, StringComparison.Ordinal), $"{expected} not in: {error}");
    }

    [Fact]
    public void A_chat_template_lorapar_cannot_render_fails_at_load()
    {
        WriteFiles("{\"chat_template\": \"{{ '[INST] ' + m + ' [/INST]' }}\"}");
        _ws.Write("m.toml", Text(""));
        var error = Assert.Throws<BadInputException>(() => _ws.Load("m.toml")).Message;
        Assert.Contains("rl.prompt.chat_template: ", error);
        Assert.Contains("chat_template is neither LLaMA-2's ([INST] <<SYS>>) nor ChatML", error);
    }

    private PipelineManifest FileManifest(string? tokenizerConfig, string extra)
    {
        WriteFiles(tokenizerConfig);
        _ws.Write("m.toml", Text(extra));
        return _ws.Load("m.toml").Manifest;
    }

    private void WriteFiles(string? tokenizerConfig)
    {
        _ws.Write("gsm8k/train.jsonl", "{\"question\": \"q\", \"answer\": \"a\\n#### 1\"}\n");
        _ws.Write("gsm8k/test.jsonl", "{\"question\": \"q\", \"answer\": \"a\\n#### 1\"}\n");
        Directory.CreateDirectory(_ws.PathOf("model"));
        var config = _ws.PathOf("model/" + TokenizerLoader.TokenizerConfigFile);
        if (tokenizerConfig is null) File.Delete(config);
        else File.WriteAllText(config, tokenizerConfig);
    }

    private static string Text(string extra) =>
        "[model]\nsource = \"checkpoint\"\npath = \"model\"\n[data]\ndataset = \"gsm8k\"\ntrain = \"gsm8k/train.jsonl\"\neval = \"gsm8k/test.jsonl\"\n" + extra;
}
