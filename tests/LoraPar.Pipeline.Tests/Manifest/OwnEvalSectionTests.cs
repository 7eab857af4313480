using LoraPar.Core;
using LoraPar.Evaluation.Own;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Pipeline.Tests.Manifest;

/// <summary>
/// The <c>[eval.own]</c> and <c>[[rl.own_rewards]]</c> keys (a choice reward's options inline or from a training column,
/// <c>options_column</c>), loaded (and checked on the files) through the real manifest loader.
/// </summary>
public sealed class OwnEvalSectionTests : IDisposable
{
    private const string Own = "[eval]\nbenchmarks = [\"own\"]\n[eval.own]\npath = \"held.jsonl\"\n";

    private readonly Workspace _ws = new();

    public OwnEvalSectionTests()
    {
        _ws.Write("held.jsonl", "{\"id\": \"h1\", \"q\": \"Is ice cold?\", \"a\": \"yes\", \"choices\": [\"yes\", \"no\"]}\n"
                                + "{\"id\": \"h2\", \"q\": \"Is fire cold?\", \"a\": \"no\", \"choices\": [\"yes\", \"no\"]}\n");
        _ws.Write("numbers.csv", "question,answer\nWhat is 2 plus 5?,7\nWhat is 3 plus 4?,seven\n");
        _ws.Write("mc.jsonl", "{\"id\": \"m1\", \"q\": \"Capital of France?\", \"a\": \"Paris\", \"choices\": [\"Paris\", \"Rome\"]}\n"
                              + "{\"id\": \"m2\", \"q\": \"Capital of Italy?\", \"a\": \"Rome\", \"choices\": [\"Paris\", \"Rome\"]}\n"
                              + "{\"id\": \"m3\", \"q\": \"Colour of the sky?\", \"a\": \"blue\", \"choices\": [\"red\", \"blue\", \"green\"]}\n");
        _ws.Write("bad.jsonl", "{\"q\": \"Capital of France?\", \"a\": \"Paris\", \"choices\": [\"Paris\", \"Rome\"]}\n"
                               + "{\"q\": \"Capital of Italy?\", \"a\": \"Rome\", \"choices\": [\"Rome\"]}\n");
        _ws.Write("nogold.jsonl", "{\"q\": \"Capital of Spain?\", \"a\": \"Madrid\", \"choices\": [\"Paris\", \"Rome\"]}\n");
    }

    public void Dispose() => _ws.Dispose();

    private const string Data = "[data]\ndataset = \"question-answer\"\ntrain = \"mc.jsonl\"\n[data.columns]\nquestion = \"q\"\nanswer = \"a\"\n";
    private const string Choice = "[[rl.own_rewards]]\nkind = \"choice\"\n";

    private const string Columns = "[eval.own.columns]\nquestion = \"q\"\nanswer = \"a\"\n";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "own without a section", "[eval]\nbenchmarks = [\"own\"]\n", "eval.own.path: eval.benchmarks includes \"own\"; point eval.own.path at the held-out file" },
        { "section without own", "[eval.own]\npath = \"held.jsonl\"\n", "m.toml:2:1 eval.own.path: [eval.own] is graded only when eval.benchmarks includes \"own\"" },
        { "bad regex", Own + "answer_regex = \"([0-9\"\n" + Columns, "m.toml:5:1 eval.own.answer_regex: the regex does not compile" },
        { "regex without gold", Own + "metric = \"regex\"\npattern = \"yes\"\n" + Columns, "m.toml:6:1 eval.own.pattern: the regex metric needs a pattern in which {gold}" },
        { "choice without options", Own + "metric = \"choice\"\n" + Columns, "eval.own.options: metric = \"choice\" scores given options; name the column" },
        { "options column missing", Own + "metric = \"choice\"\noptions = \"opts\"\n" + Columns, "held.jsonl:1: missing field 'options' (column 'opts')" },
        { "options for exact", Own + "options = \"choices\"\n" + Columns, "m.toml:5:1 eval.own.options: options are scored by metric = \"choice\"" },
        { "column missing", Own, "held.jsonl:1: missing field 'question'; the row has fields a, choices, id, q" },
        { "gold no number", "[eval]\nbenchmarks = [\"own\"]\n[eval.own]\npath = \"numbers.csv\"\nmetric = \"numeric\"\n",
            "eval.own.metric: numbers.csv: row numbers#3's gold answer 'seven' is no number" },
        { "missing file", "[eval]\nbenchmarks = [\"own\"]\n[eval.own]\npath = \"nowhere.jsonl\"\n", "m.toml:4:8 eval.own.path: file not found: " },
        { "metric misspelt", Own + "metric = \"exakt\"\n", "m.toml:5:10 eval.own.metric: unknown value 'exakt'" },
        { "reward regex", "[[rl.own_rewards]]\nkind = \"numeric\"\nanswer_regex = \"(\"\n", "m.toml:3:1 rl.own_rewards[0].answer_regex: the regex does not compile" },
        { "format without pattern", "[[rl.own_rewards]]\nkind = \"format\"\n", "rl.own_rewards[0].pattern: a format reward needs the pattern" },
        { "column not in the first row", Data + Choice + "options_column = \"opts\"\n",
            "m.toml:9:1 rl.own_rewards[0].options_column: mc.jsonl: no column 'opts' in the first row (its columns: a, choices, id, q)" },
        { "inline and column", Data + Choice + "options = [\"a\", \"b\"]\noptions_column = \"choices\"\n",
            "m.toml:10:1 rl.own_rewards[0].options_column: give the options inline (options) or name the column that holds them (options_column), not both" },
        { "column for exact", Data + "[[rl.own_rewards]]\nkind = \"exact\"\noptions_column = \"choices\"\n",
            "m.toml:9:1 rl.own_rewards[0].options_column: options_column belongs to kind = \"choice\"" },
        { "one option in a row", Data.Replace("mc.jsonl", "bad.jsonl") + Choice + "options_column = \"choices\"\n",
            "bad.jsonl:2: field 'options' (column 'choices') holds 1 option(s) or repeated ones" },
        { "gold among none", Data.Replace("mc.jsonl", "nogold.jsonl") + Choice + "options_column = \"choices\"\n",
            "m.toml:9:1 rl.own_rewards[0].options_column: nogold.jsonl: row nogold#1's reference answer 'Madrid' is none of its options [Paris, Rome]" },
        { "built-in data", Choice + "options_column = \"choices\"\n",
            "m.toml:3:1 rl.own_rewards[0].options_column: options_column names a column of one's own training data; data.dataset = \"synthetic\"" },
        { "reward unknown key", "[[rl.own_rewards]]\nkind = \"exact\"\nwieght = 1.0\n", "m.toml:3:1 rl.own_rewards[0].wieght: unknown key; did you mean 'weight'?" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_setting_names_the_place_and_the_problem(string what, string toml, string expected)
    {
        _ws.Write("m.toml", toml);
        var error = Assert.Throws<BadInputException>(() => _ws.Load("m.toml"));
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: expected '{expected}' in:\n{error.Message}");
    }

    [Fact]
    public void Valid_settings_are_bound()
    {
        _ws.Write("m.toml", Own + "metric = \"choice\"\noptions = \"choices\"\n" + Columns
            + "[[rl.own_rewards]]\nkind = \"choice\"\noptions = [\"yes\", \"no\"]\nweight = 2.0\n[[rl.own_rewards]]\nkind = \"format\"\npattern = \"^(yes|no)$\"\n");
        var manifest = _ws.Load("m.toml").Manifest;

        var own = manifest.Eval.Own;
        Assert.Equal((AnswerMetric.Choice, "choices", "q"), (own.Metric, own.Options, own.Columns!.Question));
        Assert.Equal(Evaluation.Datasets.OwnDataLayout.QuestionAnswer, own.LayoutFor(manifest.Data));
        Assert.Equal([OwnRewardKind.Choice, OwnRewardKind.Format], manifest.Rl.OwnRewards!.Select(r => r.Kind));
        Assert.Equal(["yes", "no"], manifest.Rl.OwnRewards![0].Options);
        Assert.Equal(2.0, manifest.Rl.OwnRewards![0].Weight);
    }

    [Fact]
    public void A_correctness_reward_that_gives_a_gold_answer_nothing_is_warned_about()
    {
        _ws.Write("m.toml", "[data]\ndataset = \"question-answer\"\ntrain = \"numbers.csv\"\n"
            + "[[rl.own_rewards]]\nkind = \"numeric\"\nanswer_regex = \"####\\\\s*([0-9]+)\"\n"
            + "[[rl.own_rewards]]\nkind = \"exact\"\n");
        var loaded = _ws.Load("m.toml", LoraPar.Pipeline.Manifest.PathCheckMode.Warnings);

        var warning = Assert.Single(loaded.Warnings);                       // the whole answer "7" has no "#### N" span; exact passes
        Assert.Equal("rl.own_rewards[0].answer_regex", warning.Key);
        Assert.Contains("training answer numbers#2 scored as its own completion gets 0 of 1; a gold answer should pass", warning.Message);
        var rows = LoraPar.Pipeline.Manifest.OwnDataRules.RewardRows(loaded.Manifest);
        Assert.Equal([[0.0, 1.0], [0.0, 1.0]], rows.Select(r => r.Values.ToArray()));
    }

    [Fact]
    public void The_preview_grades_each_training_answer_among_its_own_rows_options()
    {
        _ws.Write("m.toml", Data + Choice + "options_column = \"choices\"\n" + Choice + "options = [\"Paris\", \"Rome\"]\n");
        var loaded = _ws.Load("m.toml", PathCheckMode.Warnings);

        Assert.Equal("choices", loaded.Manifest.Rl.OwnRewards![0].OptionsColumn);
        var rows = OwnDataRules.RewardRows(loaded.Manifest);
        // by column every gold is its row's option; inline, "blue" is none of ["Paris", "Rome"] and is warned about
        Assert.Equal([[1.0, 1.0], [1.0, 1.0], [1.0, 0.0]], rows.Select(r => r.Values.ToArray()));
        var warning = Assert.Single(loaded.Warnings);
        Assert.Equal("rl.own_rewards[1].answer_regex", warning.Key);
        Assert.Contains("training answer m3 scored as its own completion gets 0 of 1", warning.Message);
    }
}
