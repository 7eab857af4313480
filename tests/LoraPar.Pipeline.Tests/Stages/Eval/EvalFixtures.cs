using System.Text.Json;
using LoraPar.Pipeline.Stages.Eval;
using LoraPar.Pipeline.Stages.Pretrain;

namespace LoraPar.Pipeline.Tests.Stages.Eval;

/// <summary>A tiny pretrained model (2 layers, d = 32) and hand-written MMLU and HumanEval files for eval stage tests.</summary>
internal static class EvalFixtures
{
    /// <summary>Manifest lines for the tiny base model and a small synthetic task.</summary>
    public const string TinyModel = """
        seed = 3
        device = "cpu"

        [model]
        source = "pretrain"

        [model.tiny]
        layers = 2
        hidden_size = 32
        heads = 2
        intermediate_size = 64
        context_length = 64
        pretrain_steps = 2
        pretrain_batch_size = 2

        [data]
        synthetic_train_size = 8
        synthetic_eval_size = 5

        """;

    /// <summary>A harness with the stages an eval needs: pretrain, data, eval-base, eval.</summary>
    public static StageHarness Harness(string manifest) =>
        new(TinyModel + manifest, new PretrainStage(), new LoraPar.Pipeline.Stages.Data.DataStage(), new BaseEvalStage(), new EvalStage());

    /// <summary>Two subjects in the Hendrycks layout: <c>mmlu/test/{subject}_test.csv</c> (3 + 2 questions) and one dev question each.</summary>
    public static void WriteMmlu(Workspace ws)
    {
        ws.Write("mmlu/test/astronomy_test.csv", """
            What is the closest star to Earth?,The Sun,Sirius,Vega,Polaris,A
            How many planets orbit the Sun?,Seven,Eight,Nine,Ten,B
            "Which planet is known as the ""red planet""?",Venus,Jupiter,Mars,Saturn,C

            """);
        ws.Write("mmlu/test/world_religions_test.csv", """
            Which city is sacred to three religions?,Paris,Jerusalem,Oslo,Lima,B
            What is the holy book of Islam?,Quran,Veda,Tao Te Ching,Avesta,A

            """);
        ws.Write("mmlu/dev/astronomy_dev.csv", "What orbits the Earth?,The Moon,Mars,Venus,The Sun,A\n");
        ws.Write("mmlu/dev/world_religions_dev.csv", "Where is the Vatican?,Rome,Cairo,Delhi,Kyoto,A\n");
    }

    /// <summary>
    /// Three problems: one that passes whatever is generated (the completion lands inside a string the test closes), one that
    /// fails whatever is generated (its check asserts False), and an ordinary one.
    /// </summary>
    public static void WriteHumanEval(Workspace ws)
    {
        object Problem(string id, string prompt, string test, string entry) =>
            new { task_id = id, prompt, canonical_solution = "", test, entry_point = entry };
        var lines = new[]
        {
            Problem("Fixture/0", "def one():\n    return 1\n\nnote = \"\"\"", "\"\"\"\n\ndef check(candidate):\n    assert candidate() == 1\n", "one"),
            Problem("Fixture/1", "def two():\n    return 2\n\n# ", "\ndef check(candidate):\n    assert False\n", "two"),
            Problem("Fixture/2", "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n", "\ndef check(candidate):\n    assert candidate(2, 3) == 5\n", "add"),
        }.Select(p => JsonSerializer.Serialize(p));
        ws.Write("humaneval.jsonl", string.Join("\n", lines) + "\n");
    }

    /// <summary>The lines of a JSONL file parsed.</summary>
    public static IReadOnlyList<JsonElement> Rows(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
