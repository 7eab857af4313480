namespace LoraPar.Evaluation.Datasets;

/// <summary>The built-in dataset layouts (field names as published).</summary>
public enum DatasetFormat
{
    /// <summary>GSM8K: <c>question</c>, <c>answer</c> (a worked solution ending in <c>#### N</c>).</summary>
    Gsm8k,

    /// <summary>databricks-dolly-15k: <c>instruction</c>, <c>context</c>, <c>response</c>, <c>category</c>.</summary>
    Dolly15k,

    /// <summary>Open-Platypus: <c>instruction</c>, <c>output</c>.</summary>
    OpenPlatypus,

    /// <summary>CodeAlpaca-20k: <c>instruction</c>, <c>input</c>, <c>output</c>.</summary>
    CodeAlpaca,

    /// <summary>MMLU as distributed by Hendrycks et al.: one header-less CSV per subject (<c>question,A,B,C,D,answer</c>), subject from the file name.</summary>
    MmluCsv,

    /// <summary>MMLU in the cais/mmlu Parquet layout: <c>question</c>, <c>subject</c>, <c>choices</c> (list), <c>answer</c> (0-based index).</summary>
    MmluParquet,

    /// <summary>HumanEval: <c>task_id</c>, <c>prompt</c>, <c>canonical_solution</c>, <c>test</c>, <c>entry_point</c> (<c>.jsonl</c> or <c>.jsonl.gz</c>).</summary>
    HumanEval,
}
