package purego

import (
	"fmt"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// featureBroadcast reshapes a per-feature vector [C] so it broadcasts against
// an operand of shape along featureAxis.
func (b *Builder) featureBroadcast(v backends.Op, shape shapes.Shape, featureAxis int) backends.Op {
	return must(b.Builder.BroadcastInDim(v, shape, []int{featureAxis}))
}

// nonFeatureAxes lists the axes of a rank-r operand other than featureAxis.
func nonFeatureAxes(rank, featureAxis int) []int {
	axes := make([]int, 0, rank-1)
	for i := range rank {
		if i != featureAxis {
			axes = append(axes, i)
		}
	}
	return axes
}

// checkBatchNorm validates the operand and the feature axis.
func (b *Builder) checkBatchNorm(operand backends.Op, featureAxis int) shapes.Shape {
	shape := b.shapeOf(operand)
	if !shape.DType.IsFloat() {
		panic(opError{fmt.Errorf("operand %s must be of a float dtype", shape)})
	}
	if featureAxis < 0 || featureAxis >= shape.Rank() {
		panic(opError{fmt.Errorf("feature axis %d out of range for operand %s", featureAxis, shape)})
	}
	return shape
}

// normalize returns (x - mean) * rsqrt(variance + epsilon) * scale + offset,
// with mean, variance, scale and offset given per feature.
func (b *Builder) normalize(x, scale, offset, mean, variance backends.Op, epsilon float32, featureAxis int) backends.Op {
	shape := b.shapeOf(x)
	eps := b.scalarOf(shape.DType, float64(epsilon))
	invStd := must(b.Builder.Rsqrt(must(b.Builder.Add(variance, eps))))     // [C]
	factor := must(b.Builder.Mul(invStd, scale))                            // [C]
	shift := must(b.Builder.Sub(offset, must(b.Builder.Mul(mean, factor)))) // [C]
	if featureAxis == shape.Rank()-1 && shape.Rank() >= 2 {
		// Channels last: the vectors as [1, ..., 1, C], applied row by row by
		// execRowOp (rowop_exec.go) without broadcasting them to x's shape.
		rowDims := make([]int, shape.Rank())
		for i := range rowDims {
			rowDims[i] = 1
		}
		rowDims[featureAxis] = shape.Dimensions[featureAxis]
		out := must(b.Builder.Mul(x, must(b.Builder.Reshape(factor, rowDims...))))
		return must(b.Builder.Add(out, must(b.Builder.Reshape(shift, rowDims...))))
	}
	out := must(b.Builder.Mul(x, b.featureBroadcast(factor, shape, featureAxis)))
	return must(b.Builder.Add(out, b.featureBroadcast(shift, shape, featureAxis)))
}

// BatchNormForInference normalizes operand with the given per-feature mean and
// variance: (x - mean) / sqrt(variance + epsilon) * scale + offset, where
// scale, offset, mean and variance are vectors along featureAxis.
func (b *Builder) BatchNormForInference(operand, scale, offset, mean, variance backends.Op, epsilon float32, featureAxis int) (out backends.Op, err error) {
	defer recoverOp("BatchNormForInference", &err)
	b.checkBatchNorm(operand, featureAxis)
	return b.normalize(operand, scale, offset, mean, variance, epsilon, featureAxis), nil
}

// BatchNormForTraining normalizes operand with the mean and (biased) variance
// of each feature over all other axes, and returns the normalized tensor with
// that mean and variance.
func (b *Builder) BatchNormForTraining(operand, scale, offset backends.Op, epsilon float32, featureAxis int) (normalized, batchMean, batchVariance backends.Op, err error) {
	defer recoverOp("BatchNormForTraining", &err)
	shape := b.checkBatchNorm(operand, featureAxis)
	axes := nonFeatureAxes(shape.Rank(), featureAxis)
	count := b.scalarOf(shape.DType, float64(shape.Size()/shape.Dimensions[featureAxis]))
	batchMean = must(b.Builder.Div(must(b.Builder.ReduceSum(operand, axes...)), count))
	centered := must(b.Builder.Sub(operand, b.featureBroadcast(batchMean, shape, featureAxis)))
	batchVariance = must(b.Builder.Div(must(b.Builder.ReduceSum(must(b.Builder.Mul(centered, centered)), axes...)), count))
	normalized = b.normalize(operand, scale, offset, batchMean, batchVariance, epsilon, featureAxis)
	return normalized, batchMean, batchVariance, nil
}

// BatchNormGradient returns the gradients of batch normalization in training
// mode (statistics from the batch) with respect to operand, scale and offset,
// given gradOutput, the gradient with respect to its output:
//
//	xHat = (x - mean) / sqrt(variance + epsilon)
//	gradOffset = Σ gradOutput, gradScale = Σ gradOutput·xHat
//	gradOperand = scale / sqrt(variance + epsilon) · (gradOutput - (gradOffset + xHat·gradScale) / N)
//
// where the sums run over the N elements of each feature.
func (b *Builder) BatchNormGradient(operand, scale, mean, variance, gradOutput backends.Op, epsilon float32, featureAxis int) (gradOperand, gradScale, gradOffset backends.Op, err error) {
	defer recoverOp("BatchNormGradient", &err)
	shape := b.checkBatchNorm(operand, featureAxis)
	axes := nonFeatureAxes(shape.Rank(), featureAxis)
	count := b.scalarOf(shape.DType, float64(shape.Size()/shape.Dimensions[featureAxis]))
	eps := b.scalarOf(shape.DType, float64(epsilon))
	invStd := must(b.Builder.Rsqrt(must(b.Builder.Add(variance, eps)))) // [C]
	centered := must(b.Builder.Sub(operand, b.featureBroadcast(mean, shape, featureAxis)))
	xHat := must(b.Builder.Mul(centered, b.featureBroadcast(invStd, shape, featureAxis)))
	gradOffset = must(b.Builder.ReduceSum(gradOutput, axes...))
	gradScale = must(b.Builder.ReduceSum(must(b.Builder.Mul(gradOutput, xHat)), axes...))
	meanGradOffset := b.featureBroadcast(must(b.Builder.Div(gradOffset, count)), shape, featureAxis)
	meanGradScale := b.featureBroadcast(must(b.Builder.Div(gradScale, count)), shape, featureAxis)
	inner := must(b.Builder.Sub(gradOutput, meanGradOffset))
	inner = must(b.Builder.Sub(inner, must(b.Builder.Mul(xHat, meanGradScale))))
	factor := b.featureBroadcast(must(b.Builder.Mul(scale, invStd)), shape, featureAxis)
	gradOperand = must(b.Builder.Mul(inner, factor))
	return gradOperand, gradScale, gradOffset, nil
}
