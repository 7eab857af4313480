using System.Text.Json;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>
/// The folder <c>bench scale</c> runs in: a random bf16 checkpoint of the given shape (<see cref="RandomCheckpoint"/>, with
/// LLaMA-2's tokenizer files), four chat examples (two System 1, two System 2 by the built-in heuristic teachers) and one
/// held-out question, and a manifest that runs one small step of every GPU stage on the CPU in bf16: importance on one
/// example per system, one SFT micro-step, one GRPO step of 2 completions × 16 tokens, one eval question of 4 new tokens. Every answer is
/// longer than the lengths the manifest cuts at, so training rows run to exactly the length the plan assumes.
/// </summary>
public static class ScaleRehearsal
{
    /// <summary>Tokens a training row is cut at (importance and SFT) and a prompt is cut at (GRPO).</summary>
    public const int MaxLength = 64;

    /// <summary>Tokens a GRPO completion runs to.</summary>
    public const int NewTokens = 16;

    /// <summary>Tokens the eval answer runs to (decoding one token at a time is the slowest bf16 path on a CPU).</summary>
    public const int EvalTokens = 4;

    private const string Road = "On the long road between the river village and the hill town, ";

    private const string Story = "A farmer keeps a careful ledger of every animal, every sack of grain and every coin that passes through the market "
        + "on the long road between the river village and the hill town, and writes each entry twice so that nothing is ever lost. ";

    /// <summary>Writes the folder under <paramref name="root"/> and returns the manifest's path.</summary>
    public static string Write(string root, LlamaConfig config, string tokenizerModel, CancellationToken cancel)
    {
        var model = Path.Combine(root, "model");
        RandomCheckpoint.Write(model, config, ScalarType.BFloat16, seed: 23, cancel: cancel);
        File.Copy(tokenizerModel, Path.Combine(model, TokenizerLoader.SentencePieceFile));
        File.WriteAllText(Path.Combine(model, TokenizerLoader.TokenizerConfigFile), TinyCheckpoint.TokenizerConfigJson(config.MaxPositionEmbeddings));
        File.WriteAllText(Path.Combine(model, "special_tokens_map.json"), TinyCheckpoint.SpecialTokensMapJson);
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.WriteAllLines(Path.Combine(root, "data", "chats.jsonl"), [
            Chat("s1-0", Road + "what is 2 plus 5?", "2 plus 5 is 7. " + Story + "\n#### 7"),
            Chat("s1-1", Road + "what is 4 plus 9?", "4 plus 9 is 13. " + Story + "\n#### 13"),
            Chat("s2-0", Road + "Ann has 3 bags of 4 pens and 2 loose pens. She doubles them. How many pens?",
                "The bags hold 3*4=<<3*4=12>>12 pens.\nWith the loose ones 12+2=<<12+2=14>>14.\nDoubled: 14*2=<<14*2=28>>28.\n" + Story + "\n#### 28"),
            Chat("s2-1", Road + "Bo buys 5 boxes of 6 eggs and breaks 3. How many are left?",
                "The boxes hold 5*6=<<5*6=30>>30 eggs.\nAfter 3 break 30-3=<<30-3=27>>27 remain.\n" + Story + "\n#### 27"),
        ]);
        File.WriteAllLines(Path.Combine(root, "data", "held-out.jsonl"), [Chat("eval-0", Road + Road + "what is 3 plus 3?", "3 plus 3 is 6.\n#### 6")]);
        var manifest = Path.Combine(root, "scale.toml");
        File.WriteAllText(manifest, Manifest(model, Path.Combine(root, "artifacts")));
        return manifest;
    }

    private static string Chat(string id, string question, string answer) => JsonSerializer.Serialize(new
    {
        id,
        conversation = new[] { new { role = "user", content = question }, new { role = "assistant", content = answer } },
    });

    private static string Manifest(string model, string artifacts) => $$"""
        name = "bench-scale"
        method = "lora-par"
        seed = 5
        device = "cpu"
        progress = "none"
        log_level = "quiet"
        artifacts = {{JsonSerializer.Serialize(artifacts)}}

        [model]
        source = "checkpoint"
        path = {{JsonSerializer.Serialize(model)}}
        dtype = "bfloat16"

        [data]
        dataset = "messages"
        train = "data/chats.jsonl"
        eval = "data/held-out.jsonl"
        chat_template = "llama2"

        [data.columns]
        messages = "conversation"

        [importance]
        samples_per_system = 1
        max_length = {{MaxLength}}

        [sft]
        max_length = {{MaxLength}}
        batch_size = 1
        gradient_accumulation_steps = 1
        max_steps = 1
        precision = "b-float16"

        [rl]
        num_generations = 2
        prompts_per_batch = 1
        gradient_accumulation_steps = 1
        max_prompt_length = {{MaxLength}}
        max_completion_length = {{NewTokens}}
        max_steps = 1
        precision = "b-float16"

        [rl.prompt]
        chat_template = "llama2"

        [eval]
        benchmarks = ["gsm8k"]
        points = ["stage2"]
        max_new_tokens = {{EvalTokens}}
        batch_size = 1
        limit = 1
        """;
}
