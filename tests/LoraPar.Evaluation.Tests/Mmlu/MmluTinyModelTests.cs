using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Mmlu;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using TorchSharp;

namespace LoraPar.Evaluation.Tests.Mmlu;

/// <summary>MMLU scoring through a real tiny model whose head is rigged to prefer one letter.</summary>
public sealed class MmluTinyModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-mmlu-tiny-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData('C', 2)]
    [InlineData('A', 0)]
    public void The_option_the_rigged_head_prefers_is_picked(char letter, int index)
    {
        TorchRuntime.EnsureInitialized();
        var tokenizer = CharTokenizer.CreateAscii();
        using var model = RiggedModel(tokenizer, letter);
        var scorer = new SequenceScorer(model, tokenizer, batchSize: 4);
        MmluQuestion[] test =
        [
            new("q1", "high_school_mathematics", "What is 1 + 1?", ["2", "3", "4", "5"], 0),
            new("q2", "world_religions", "Which is a colour?", ["dog", "red", "cat", "sun"], 1),
        ];

        var report = new MmluEvaluator(scorer, new MmluEvalOptions()).Evaluate(test, [], Path.Combine(_dir, $"mmlu-{letter}.jsonl"));

        var lines = File.ReadAllLines(Path.Combine(_dir, $"mmlu-{letter}.jsonl"));
        Assert.All(lines, l => Assert.Contains($"\"predicted\":{index}", l.Replace(" ", "")));
        Assert.Equal(test.Count(q => q.AnswerIndex == index), report.Micro.Successes);
    }

    /// <summary>
    /// Attention and MLP outputs are zeroed, so the final hidden state is the normalised embedding of the current token; every
    /// embedding is the ones vector, and only the head row of <paramref name="letter"/> is non-zero, so that letter always wins.
    /// </summary>
    private static LlamaForCausalLM RiggedModel(TextTokenizer tokenizer, char letter)
    {
        var model = TinyModelFactory.Create(TinyModelFactory.Config(tokenizer.VocabSize, hidden: 32), seed: 1);
        using var _ = torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("o_proj.weight") || name.EndsWith("down_proj.weight") || name.StartsWith("lm_head")) parameter.zero_();
            if (name.StartsWith("model.embed_tokens")) parameter.fill_(1.0);
        }
        var id = tokenizer.Encode(letter.ToString(), addBos: false).Single();
        model.named_parameters().Single(p => p.name.StartsWith("lm_head")).parameter[id].fill_(5.0);
        model.eval();
        return model;
    }
}
