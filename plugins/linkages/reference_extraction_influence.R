# Reference numbers for linkages_test.cpp (partial extraction, field of influence), computed by
# brute force with base R: every extraction re-solves the economy with the zeroed coefficients by
# solve(); every field of influence is summed element by element. Run: Rscript <this file>.
Z <- matrix(c(10, 15, 20,  20, 5, 30,  30, 25, 10), 3)  # z_ij, hypothetical 3-sector table
x <- c(100, 120, 150)
n <- 3; I <- diag(n)
f <- x - rowSums(Z); v <- x - colSums(Z)
A <- sweep(Z, 2, x, "/"); B <- sweep(Z, 1, x, "/")
L <- solve(I - A)
loss <- function(k) {
  Ac <- A; Ac[, k] <- 0; Ar <- A; Ar[k, ] <- 0; Bc <- B; Bc[, k] <- 0; Br <- B; Br[k, ] <- 0
  c(leontief_column = sum(x) - sum(solve(I - Ac, f)), leontief_row = sum(x) - sum(solve(I - Ar, f)),
    ghosh_row = sum(x) - sum(v %*% solve(I - Br)), ghosh_column = sum(x) - sum(v %*% solve(I - Bc)))
}
options(digits = 12)
print(sapply(1:n, loss))
S2 <- Sabs <- matrix(0, n, n)
for (i in 1:n) for (j in 1:n) {
  F <- L[, i] %*% t(L[j, ])  # Sonis & Hewings: F(i, j) = L_.i L_j.
  S2[i, j] <- sum(F^2); Sabs[i, j] <- sum(abs(F))
}
print(S2); print(Sabs)
