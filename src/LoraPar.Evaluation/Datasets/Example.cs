namespace LoraPar.Evaluation.Datasets;

/// <summary>
/// The common shape every built-in dataset is turned into, for training and evaluation: the text the model is given
/// (<see cref="Prompt"/>, template applied), the reference continuation (<see cref="Response"/>; the loss covers only it),
/// the gold answer where the task has one (GSM8K's number, MMLU's letter) and format-specific metadata
/// (e.g. <c>question</c>, <c>category</c>, <c>subject</c>, <c>entry_point</c>).
/// </summary>
/// <param name="Id">Stable identity: <c>{file stem}#{line or row}</c>, or the dataset's own id (HumanEval task ids).</param>
public sealed record Example(
    string Id,
    string Prompt,
    string Response,
    string? GoldAnswer,
    IReadOnlyDictionary<string, string> Metadata);
