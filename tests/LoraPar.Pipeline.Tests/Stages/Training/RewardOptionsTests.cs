using LoraPar.Core;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Pipeline.Tests.Stages.Training;

public sealed class RewardOptionsTests : IDisposable
{
    private static readonly DataSection Data = new() { Dataset = DatasetKind.QuestionAnswer };

    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void A_csv_cell_holds_a_json_array_and_rows_are_keyed_by_their_ids()
    {
        var path = _ws.Write("mc.csv", "question,answer,choices\nCapital of France?,Paris,\"[\"\"Paris\"\", \"\"Rome\"\"]\"\nSky?,blue,\"[\"\"red\"\", \"\"blue\"\", \"\"green\"\"]\"\n");

        var options = RewardOptions.Load(path, Data, ["choices"]);

        Assert.Equal(["Paris", "Rome"], options.Of("mc#2")!["choices"]);
        Assert.Equal(["red", "blue", "green"], options.Of("mc#3")!["choices"]);
        Assert.Null(options.Of("mc#4"));
    }

    [Fact]
    public void A_text_that_is_no_list_names_the_file_row_and_column()
    {
        var path = _ws.Write("mc.csv", "question,answer,choices\nCapital of France?,Paris,Paris or Rome\n");

        var error = Assert.Throws<BadInputException>(() => RewardOptions.Load(path, Data, ["choices"]));

        Assert.Contains("mc.csv:2: field 'options' (column 'choices') holds a text where a list of options was expected", error.Message);
    }

    [Fact]
    public void Columns_are_those_the_choice_rewards_name_each_once()
    {
        OwnReward Choice(string column) => new() { Kind = OwnRewardKind.Choice, OptionsColumn = column };
        Assert.Equal(["b", "a"], RewardOptions.Columns([Choice("b"), new OwnReward(), Choice("a"), Choice("b")]));
        Assert.Empty(RewardOptions.Columns(null));
    }
}
