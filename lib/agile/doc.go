// Package agile is the agile-modelling loop over an embedding database
// (lib/embeddb), after perch-hoplite's: an archive is embedded once; a person
// searches it by example, labels the hits, trains a small linear classifier
// on those labels plus weak negatives (unlabelled windows assumed negative,
// since the class is rare), runs it over the whole archive, and validates it
// by labelling a random sample of what it finds, which gives the precision at
// a threshold with an interval.
//
// Every answer is stored in the database as an annotation of the window's
// span, with its provenance (who or what answered: a person in the notebook,
// a simulated oracle, a validation round) and the time: the labels outlive
// the session and say where they came from. Labels come from any
// active.Oracle: activeui.NotebookOracle in a notebook, active.SimulatedOracle
// in tests and headless runs.
//
// Validation comes in two forms. ValidatePrecision asks about a simple random
// sample of the windows above a threshold: their precision, with an
// interval. ValidateSample draws a sample stratified by score (equal-width
// strata of [0, 1], or strata of about equal size by the archive's score
// quantiles; about as many draws from each), for a person to answer
// now or later in a CSV worksheet (WriteCSV, ReadValidationCSV); weighting
// each answer by its stratum's size, Estimate gives the precision at any
// threshold, the density of positives over the archive and the recall, from
// one sample.
//
// On a labelled evaluation set the loop's claims can be checked: Truth reads
// a label table's class for every window, and CensusOf counts exactly what a
// validation sample estimates (precision, density, recall) over the windows it
// stands for, to see whether the estimates' intervals hold the true values.
//
// Memory: Open holds every window's vector (Search and Scores need them).
// OpenKeys and OpenScored read the database batch at a time and keep only the
// keys (and scores): O(windows), not O(windows × dim). On such an archive
// TrainingSet draws its weak negatives over the keys, as on Open's (the same
// draw, whatever the batch size), and then reads only its rows' vectors;
// `dawnchorus train -annotations` and `validate` work this way.
//
// Honest validation: the windows that trained the classifier, and every
// window of their recordings, are left out of the validation sample, so the
// precision is measured on recordings the classifier never saw labelled.
package agile
