using LoraPar.Evaluation.Tests.Fakes;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Mmlu;
using LoraPar.Model.Generation;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;

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
        using var model = RiggedTinyModel.Create(tokenizer, letter);
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
}
