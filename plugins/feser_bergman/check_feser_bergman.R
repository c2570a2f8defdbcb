# Independent check of feser_bergman (Feser & Bergman 2000) in base R: reads a symmetric IO table,
# computes L = max of the four correlations with cor(), its principal components with eigen(),
# rotates them with stats::varimax(normalize = TRUE, eps = 1e-5), orders the factors by explained
# variance and signs each so that its largest |loading| is positive, then assigns members
# (primary: highest loading >= 0.60; secondary: >= 0.35 elsewhere). Prints every number the
# plugin's end-to-end tests compare with (feser_bergman_test.cpp names this script).
#
#   Rscript plugins/feser_bergman/check_feser_bergman.R [table.csv label_column sector...]
#   Rscript plugins/feser_bergman/check_feser_bergman.R croatia   (Croatia 2010, table 1700)
# Default: data/io/germany_1995/germany_1995_siot_wide.csv (Eurostat manual Table 15.4), the six
# CPA product groups.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) == 0) {
  file <- "data/io/germany_1995/germany_1995_siot_wide.csv"
  label <- "row_code"
  sectors <- c("CPA_A", "CPA_B-E", "CPA_F", "CPA_G-I", "CPA_J-N", "CPA_O-T")
} else if (args[1] == "croatia") {
  file <- "data/io/croatia_2010/croatia_2010_1700_wide.csv"
  label <- "row_code"
  all <- read.csv(file, check.names = FALSE, stringsAsFactors = FALSE)$row_code
  # The CPA rows except the total, U (output 1.2e-7, see dataset.toml) and T (no flows at all).
  sectors <- setdiff(grep("^CPA_", all, value = TRUE), c("CPA_TOTAL", "CPA_U", "CPA_T"))
} else {
  file <- args[1]; label <- args[2]; sectors <- args[-(1:2)]
}
t <- read.csv(file, check.names = FALSE, stringsAsFactors = FALSE)
rownames(t) <- t[[label]]
# Columns carry the row label without a "CPA_" prefix in Eurostat tables (row CPA_C29, column C29).
cols <- ifelse(sectors %in% names(t), sectors, sub("^CPA_", "", sectors))
Z <- as.matrix(t[sectors, cols])
colnames(Z) <- sectors
X <- sweep(Z, 2, colSums(Z), "/")   # x_ij = z_ij / sum_k z_kj (intermediate purchases of j)
Y <- sweep(Z, 1, rowSums(Z), "/")   # y_ij = z_ij / sum_k z_ik (intermediate sales of i)
rxx <- cor(X)                       # r(x_.i, x_.j): columns
ryy <- cor(t(Y))                    # r(y_i., y_j.): rows
rxy <- cor(X, t(Y))                 # r(x_.i, y_j.)
L <- pmax(rxx, ryy, rxy, t(rxy))    # t(rxy)[i, j] = r(y_i., x_.j)
diag(L) <- 1
e <- eigen(L, symmetric = TRUE)
k <- sum(e$values >= 1)
A <- e$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(e$values[1:k]), k)
R <- if (k > 1) unclass(varimax(A, normalize = TRUE, eps = 1e-5)$loadings) else A
v <- colSums(R^2)
R <- R[, order(-v), drop = FALSE]
for (f in seq_len(k)) if (R[which.max(abs(R[, f])), f] < 0) R[, f] <- -R[, f]
rownames(R) <- sectors
options(digits = 12)
cat("L (upper triangle):\n"); print(L)
cat("eigenvalues:\n"); print(e$values)
cat("factors (Kaiser):", k, "\n")
cat("rotated, ordered, signed loadings:\n"); print(R)
cat("variance:\n"); print(colSums(R^2))
best <- apply(R, 1, which.max)
for (f in seq_len(k)) for (i in seq_along(sectors)) {
  role <- if (best[i] == f && R[i, f] >= 0.60) "primary" else if (R[i, f] >= 0.35) "secondary" else ""
  if (role != "") cat(sprintf("template %d: %s %.10f %s\n", f, sectors[i], R[i, f], role))
}
